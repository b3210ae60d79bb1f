-- __newindex is not consulted for existing keys; rawset bypasses it
local hits = 0
local t = setmetatable({a = 1}, {__newindex = function(tab, k, v) hits = hits + 1; rawset(tab, k, v) end})
t.a = 2
t.b = 3
t.b = 4
rawset(t, "c", 5)
t.c = 6
print(t.a, t.b, t.c, hits)
t.a = nil
t.a = 7
print(t.a, hits)
local ro = setmetatable({}, {__index = {x = 1}, __newindex = function() error("no writes") end})
print(ro.x, pcall(function() ro.x = 2 end))
