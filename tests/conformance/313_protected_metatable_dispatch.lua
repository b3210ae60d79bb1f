-- a protected metatable (__metatable field) still drives every metamethod and method lookup
local methods = {hello = function(self) return "hello from " .. self.name end}
local mt = {__index = methods, __metatable = "locked", __len = function() return 7 end,
  __add = function(a, b) return "added" end, __call = function() return "called" end,
  __tostring = function(self) return "Obj(" .. self.name .. ")" end,
  __newindex = function(t, k, v) rawset(t, k, tostring(v) .. "!") end,
  __eq = function() return true end, __lt = function() return true end, __concat = function() return "cat" end}
local o = setmetatable({name = "o"}, mt)
print(o:hello(), o.hello(o), #o, o + 1, o(), tostring(o), o .. "x")
o.extra = 5
print(rawget(o, "extra"), getmetatable(o), o == setmetatable({name = "p"}, mt), o < o)
print(pcall(setmetatable, o, nil))
for _, f in ipairs({function() return o:missing() end}) do print(pcall(f)) end
local sub = setmetatable({}, {__index = o, __metatable = false})
print(sub:hello(), sub.name, getmetatable(sub))
