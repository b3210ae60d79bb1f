-- comparisons between locals of every type pairing
local a, b, s, t, n, f = 1, 2.5, "10", "9", nil, 0 / 0
local function try(g) print(pcall(g)) end
try(function() return a < s end)
try(function() return s <= a end)
try(function() return s < t, t < s, s <= s end)
try(function() return a < n end)
try(function() return n > a end)
try(function() return {} < a end)
try(function() return a < b, b <= a, a > f, f >= a end)
try(function() local x, y = "a\0b", "a\0c"; return x < y, "\255" > "a" end)
try(function() local x, y = {}, {}; return x <= y end)
try(function() local x = setmetatable({}, {__lt = function() return true end}); return x < 1, 1 < x end)
