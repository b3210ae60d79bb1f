local a, b, mx, mn = 5, 7, math.maxinteger, math.mininteger
print(a + 1, a - 1, 1 + a, 1 - a, a + b, a - b, mx + 1, mn - 1, 1 + mx, -1 + mn, mx - (-1))
local f, s = 2.5, "10"
print(f + 1, f - 1, s + 1, 1 - s, f + a, a - f, mx + b, mn - b, b - mn)
print(pcall(function() local n; return n + 1 end))
print(pcall(function() local n; return 1 - n end))
print(pcall(function() local n, m = 1; return n + m end))
local t = setmetatable({}, {__add = function() return "meta" end, __sub = function() return "msub" end})
print(t + 1, 1 - t, t + a)
local i = 0
while i < 5 do i = i + 1 end
print(i, i - 0, 0 - i, math.type(i + 0))
