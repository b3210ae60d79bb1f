-- errors of bitwise operators
local function try(f) local ok, msg = pcall(f); print(ok, msg) end
try(function() return 1.5 | 0 end)
try(function() return 2^63 | 0 end)
try(function() return {} & 1 end)
try(function() local s = "3"; return s & 1 end)
try(function() return nil >> 1 end)
try(function() local t = {}; return ~t end)
try(function() return 1 << 1.5 end)
try(function() return (1/0) & 1 end)
try(function() local x = 3.0; return x | 0 end)
