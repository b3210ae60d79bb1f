-- rawget rawset rawequal rawlen bypass metamethods
local mt = {__index = function() return "meta" end, __newindex = function() error("blocked") end,
  __eq = function() return true end, __len = function() return 99 end}
local t = setmetatable({}, mt)
print(t.x, rawget(t, "x"))
print(rawset(t, "x", 1) == t, t.x, rawget(t, "x"))
print(#t, rawlen(t))
local u = setmetatable({}, mt)
print(t == u, rawequal(t, u), rawequal(t, t), rawequal("a", "a"), rawequal(1, 1.0))
print(pcall(rawget, "str", 1))
print(pcall(rawset, {}, nil, 1))
print(pcall(rawequal, 1))
print(rawlen({1, 2, 3}), rawlen("hello"))
print(rawget({10, 20}, 2), rawget({10, 20}, 2.0))
