-- Method calls and field reads through metatables: __index tables chained 1 to 5
-- deep, __index functions, methods replaced at runtime, metatables changed between
-- calls, __call objects as methods, varargs, and lua5.4's error messages.
local function try(f, ...)
  local r = table.pack(pcall(f, ...))
  for i = 1, r.n do r[i] = tostring(r[i]) end
  print(table.concat(r, " ", 1, r.n))
end

local function class(parent)
  local c = {}
  c.__index = c
  if parent then setmetatable(c, {__index = parent}) end
  return c
end
local A = class()
function A:name() return "A" end
function A:who(...) return self:name(), select("#", ...), ... end
function A.static(x) return "static " .. tostring(x) end
local B = class(A)
function B:name() return "B" end
local C = class(B)
local D = class(C)
local E = class(D)
local objs = {setmetatable({}, A), setmetatable({}, B), setmetatable({}, C),
              setmetatable({}, D), setmetatable({}, E)}
for i, o in ipairs(objs) do
  print(i, o:name(), o:who(1, nil, 3), o.static(i), o.missing, o:who())
end
-- a method replaced at runtime, at each level of the chain
function C:name() return "C" end
print(objs[3]:name(), objs[4]:name(), objs[5]:name())
C.name = nil
print(objs[3]:name(), objs[4]:name(), objs[5]:name())
A.name = function() return "A2" end
print(objs[1]:name(), objs[3]:name(), objs[5]:name())
-- an instance field shadows the class
objs[5].name = function() return "own" end
print(objs[5]:name())
objs[5].name = nil
print(objs[5]:name())
-- errors name the method as lua5.4 does
try(function() return objs[1]:nosuch() end)
try(function() return objs[5]:nosuch(1, 2) end)
try(function() local x = {}; return x:foo() end)
try(function() local s = "str"; return s:nosuch() end)
try(function() local n = 5; return n:foo() end)
try(function() return nothing:foo() end)
try(function() return objs[1].name:foo() end)
try(function() local o = setmetatable({}, {__index = {m = 42}}); return o:m() end)
-- __index as a function, at the top and inside a chain
local calls = {}
local F = setmetatable({}, {__index = function(t, k) calls[#calls + 1] = k; return function(self, a) return "F." .. k .. "(" .. tostring(a) .. ")" end end})
local f = setmetatable({}, {__index = F})
print(f:alpha(1), f:beta(), table.concat(calls, ","))
local G = class(F)
local g = setmetatable({}, G)
print(g:gamma(3), #calls)
local fn_obj = setmetatable({}, {__index = function(t, k) return nil end})
try(function() return fn_obj:gone() end)
-- the metatable changed between calls, and removed
local o = setmetatable({}, A)
print(o:name())
setmetatable(o, B)
print(o:name())
setmetatable(o, {__index = function() return function() return "fn" end end})
print(o:name())
setmetatable(o, nil)
try(function() return o:name() end)
getmetatable(objs[2]).__index = A
print(objs[2]:name())
B.__index = B
-- a class table whose __index is changed
local P = {}
P.__index = P
function P:v() return 1 end
local p = setmetatable({}, P)
print(p:v())
P.__index = {v = function() return 2 end}
print(p:v())
P.__index = function(_, k) return function() return "dyn " .. k end end
print(p:v())
P.__index = "a string"
try(function() return p:v() end)
P.__index = setmetatable({}, {__index = "xyz"})
print(p.len("abcd"), p.upper("q"))
-- __call objects as methods
local callable = setmetatable({}, {__call = function(self, obj, x) return "called", obj == p, x end})
P.__index = {c = callable}
print(p:c(9))
local notcallable = setmetatable({}, {})
P.__index = {c = notcallable}
try(function() return p:c() end)
-- varargs through method calls
local V = class()
function V:count(...) return select("#", ...) end
function V:pass(...) return self:count(...) end
local v = setmetatable({}, V)
local function many() return 1, nil, 3, nil end
print(v:count(), v:count(nil), v:pass(many()), v:pass(many(), 5), v:count((many())))
-- the receiver is evaluated once, before the arguments
local n = 0
local function recv() n = n + 1; return v end
print(recv():count(n, n), n)
-- methods returning several values, truncated in expressions
function V:multi() return 1, 2, 3 end
print(v:multi(), (v:multi()), v:multi() + 10)
-- a loop in the __index chain
local L1, L2 = {}, {}
setmetatable(L1, {__index = L2})
setmetatable(L2, {__index = L1})
try(function() return L1.x end)
try(function() return setmetatable({}, {__index = L1}):x() end)
-- a chain exactly at and just over lua5.4's limit (2000 levels)
local function chain(len)
  local top = {target = "found"}
  for _ = 1, len - 1 do top = setmetatable({}, {__index = top}) end
  return top
end
for len = 1999, 2003 do
  local top = chain(len)
  try(function() return top.target end)
  try(function() return top:target() end)
  try(function() return setmetatable({}, {__index = top}).target end)
end
-- arithmetic and comparison metamethods on objects
local Num = {}
Num.__index = Num
local function num(x) return setmetatable({x = x}, Num) end
Num.__add = function(a, b)
  local ax = type(a) == "table" and a.x or a
  local bx = type(b) == "table" and b.x or b
  return num(ax + bx), "extra"
end
Num.__sub = function(a, b) return num(a.x - b.x) end
Num.__eq = function(a, b) return a.x == b.x end
Num.__lt = function(a, b) return a.x < b.x end
Num.__concat = function(a, b) return "cat" end
print((num(1) + num(2)).x, (num(1) + 5).x, (5 + num(1)).x, (num(5) - num(2)).x)
print(num(1) == num(1), num(1) == num(2), num(1) ~= num(2), num(1) < num(2), num(1) .. "s")
local plain = setmetatable({}, {})
try(function() return plain + 1 end)
try(function() return 1 + plain end)
try(function() return num(1) - 1 end)
local onlyright = setmetatable({}, {__add = function(a, b) return "right" end})
print(plain + onlyright, onlyright + plain, "1" + onlyright)
Num.__add = function() end
print(num(1) + num(2))
Num.__add = function() return end
print(num(1) + 1)
