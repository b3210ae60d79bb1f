-- comparing incompatible values raises errors
local function try(f) local ok, msg = pcall(f); print(ok, msg) end
try(function() return 1 < "2" end)
try(function() return "1" <= 2 end)
try(function() return {} < {} end)
try(function() return nil < 1 end)
try(function() return true > false end)
try(function() return print < print end)
try(function() local a, b = {}, 1; return a >= b end)
print(pcall(function() return 1 == "1" end))
print(pcall(function() return {} ~= {} end))
