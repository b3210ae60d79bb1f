-- arithmetic, bitwise, concatenation and comparison error messages
local function try(f) local ok, msg = pcall(f); print(msg) end
try(function() local a; return a + 1 end)
try(function() return undefined_g * 2 end)
try(function() local t = {}; return t.count + 1 end)
local u
try(function() return u - 1 end)
try(function() local t = {}; return 1 + t end)
try(function() local a = {}; return -a end)
try(function() local a; return a & 1 end)
try(function() local a = 1.5; return a | 1 end)
try(function() local s; return "x" .. s end)
try(function() local t = {}; return t.name .. "x" end)
try(function() return 1 < {} end)
try(function() local a, b = {}, {}; return a < b end)
try(function() return "a" < 1 end)
try(function() local x = {}; return x <= 1 end)
try(function() local x; return #x end)
try(function() return #undefined_len end)
