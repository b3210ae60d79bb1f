-- setmetatable returns its first argument; argument checking
local t = {}
local mt = {}
print(setmetatable(t, mt) == t, getmetatable(t) == mt)
print(setmetatable(t, nil) == t, getmetatable(t))
print(pcall(setmetatable, t, 5))
print(pcall(setmetatable, 5, {}))
print(pcall(setmetatable, t))
print(pcall(getmetatable))
print(getmetatable("x") == getmetatable("y"))
local a = setmetatable({}, {__index = function(_, k) return k end})
print(a.anything)
