-- __gc and __mode may be set; the tables keep working
local weak = setmetatable({}, {__mode = "k"})
local key = {}
weak[key] = "value"
print(weak[key])
local wv = setmetatable({}, {__mode = "v"})
wv[1] = "str"
print(wv[1])
local g = setmetatable({}, {__gc = function() end})
g.x = 1
print(g.x, type(getmetatable(g).__gc))
print(collectgarbage("count") > 0, collectgarbage() == 0)
print(type(collectgarbage("count")))
