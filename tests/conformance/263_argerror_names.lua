-- "bad argument" messages name the function the way the caller reached it
local function try(f) local ok, msg = pcall(f); print(msg) end
try(function() table.insert(nil, 1) end)
try(function() local ins = table.insert; ins(nil, 1) end)
local up = string.rep
try(function() up() end)
myglobal = string.byte
try(function() myglobal({}) end)
try(function() local t = {fn = math.floor}; t.fn("x") end)
try(function() ("x"):rep({}) end)
try(function() local s = "x"; s.rep(s, {}) end)
try(function() string.rep("x", {}) end)
print(pcall(string.rep, "x", {}))
print(pcall(math.floor, "x"))
try(function() return setmetatable(1, {}) end)
try(function() local sm = setmetatable; return sm(1, {}) end)
try(function() io.open("x", "bad mode") end)
try(function() local f = io.open; f(nil) end)
try(function() return select(0) end)
try(function() return ("x"):format(1, 2):bad() end)
