-- __metatable protects the metatable
local t = setmetatable({}, {__metatable = "locked"})
print(getmetatable(t))
print(pcall(setmetatable, t, {}))
print(pcall(setmetatable, t, nil))
local u = setmetatable({}, {__metatable = false})
print(getmetatable(u))
print(getmetatable("abc").__index == string)
print(getmetatable({}), getmetatable(1), getmetatable(nil), getmetatable(print))
local mt = {}
local v = setmetatable({}, mt)
print(getmetatable(v) == mt)
print(setmetatable(v, nil) == v, getmetatable(v))
