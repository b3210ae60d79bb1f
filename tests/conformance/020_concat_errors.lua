-- concatenation of values that are not strings or numbers
local function try(f) local ok, msg = pcall(f); print(ok, msg) end
try(function() local x; return "a" .. x end)
try(function() return "a" .. {} end)
try(function() return {} .. "a" end)
try(function() return true .. "" end)
try(function() return 1 .. nil end)
try(function() local t = {}; return t.name .. "!" end)
try(function() return "a" .. print end)
try(function() return "x" .. "y" .. 1 .. 2.0 end)
