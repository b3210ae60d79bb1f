-- "attempt to call" messages
local function try(f) local ok, msg = pcall(f); print(msg) end
try(function() undefined_function() end)
try(function() local f; f() end)
try(function() local t = {}; t.method() end)
try(function() local t = {}; t:foo() end)
try(function() local obj = {}; obj:bar(1, 2) end)
try(function() local n = 5; n() end)
try(function() local t = {}; t() end)
try(function() ("x")() end)
try(function() local t = {inner = {}}; t.inner.deep() end)
local up
try(function() up() end)
try(function() string.nosuch("x") end)
try(function() local s = "abc"; s:nosuch() end)
try(function() return (1)() end)
