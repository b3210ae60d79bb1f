-- arithmetic on values that are not numbers
local function try(f) local ok, msg = pcall(f); print(ok, msg) end
try(function() return nil + 1 end)
try(function() local t = {}; return t + 1 end)
try(function() return 1 + true end)
try(function() return {} * 2 end)
try(function() return -{} end)
try(function() return "abc" * 2 end)
try(function() local s = "x"; return 1 - s end)
try(function() return print + 1 end)
try(function() return 2 ^ {} end)
try(function() return 1 / nil end)
try(function() return "10" + "a" end)
