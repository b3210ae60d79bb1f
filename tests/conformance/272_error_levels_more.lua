-- error(msg, level) through metamethods, iterators, library callbacks and coroutines
local function lvl2(msg) error(msg, 2) end
local function try(label, f) local ok, m = pcall(f); print(label, m) end
try("direct pcall", function() return pcall(lvl2, "p") end)
print("pcall(lvl2)", select(2, pcall(lvl2, "via pcall")))
try("__index", function() local t = setmetatable({}, {__index = function() lvl2("idx") end}); return t.x end)
try("__call", function() local t = setmetatable({}, {__call = function() error("call2", 2) end}); return t() end)
try("__add", function() local t = setmetatable({}, {__add = function() error("add2", 2) end}); return t + 1 end)
try("__tostring", function() return tostring(setmetatable({}, {__tostring = function() error("ts2", 2) end})) end)
try("sort cmp", function() table.sort({2, 1}, function() error("cmp2", 2) end) end)
try("gsub cb", function() return ("a"):gsub("a", function() error("cb2", 2) end) end)
try("iterator", function() for x in function() error("iter2", 2) end do end end)
try("level 3", function() local function inner() error("three", 3) end local function mid() inner() end mid() end)
try("level 50", function() error("far", 50) end)
local co = coroutine.create(function() lvl2("in coroutine body") end)
print("coroutine", select(2, coroutine.resume(co)))
co = coroutine.create(function() error("level 2 of a coroutine body", 2) end)
print("coroutine2", select(2, coroutine.resume(co)))
try("wrap", function() coroutine.wrap(function() error("wrapped", 1) end)() end)
