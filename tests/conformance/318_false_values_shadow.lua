-- a field holding false is present: it shadows __index and class methods
local Class = {m = function() return "class method" end, flag = "class flag"}
Class.__index = Class
local o = setmetatable({}, Class)
print(o:m(), o.flag)
o.flag = false
o.m = false
print(o.flag, rawget(o, "flag"), pcall(function() return o:m() end))
o.m = nil
o.flag = nil
print(o:m(), o.flag)
local d = setmetatable({present = false}, {__index = function() return "from __index" end})
print(d.present, d.absent)
local g = setmetatable({}, {__index = function(_, k) return "default" end})
g.x = false
print(g.x, g.y)
local count = 0
local env = setmetatable({flagged = false}, {__index = function(_, k) count = count + 1; return _G[k] end})
local f = load("return flagged, type(print)", "env", "t", env)
print(f())
print(count)
local arr = {false, false, nil, false}
local n = 0
for _, v in ipairs(arr) do n = n + 1 end
print(n, #{false, false})
