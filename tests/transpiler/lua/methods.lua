local Account = {}
Account.__index = Account
function Account.new(b) return setmetatable({balance = b}, Account) end
function Account:deposit(v) self.balance = self.balance + v; return self end
function Account:get() return self.balance end
local a = Account.new(100)
print(a:deposit(50):deposit(25):get())
-- receiver evaluated once
local calls = 0
local function obj() calls = calls + 1; return a end
obj():deposit(1)
print(calls, a.balance)
-- nested tables and methods
local ns = {sub = {}}
function ns.sub.f(x) return x * 2 end
function ns.sub:g(x) return self == ns.sub, x end
print(ns.sub.f(21), ns.sub:g(1))
-- string methods
local s = "Hello"
print(s:lower(), ("%s!"):format(s), s:rep(2, "-"), ("x"):byte())
-- __index function, __newindex, __call, __tostring, __eq, __lt, __le, __len, __concat
local mt = {}
mt.__index = function(t, k) return k .. "!" end
mt.__newindex = function(t, k, v) rawset(t, k, v * 2) end
mt.__call = function(self, a, b) return a + b end
mt.__tostring = function() return "OBJ" end
mt.__len = function() return 42 end
mt.__concat = function(a, b) return "cat" end
mt.__unm = function() return "neg" end
mt.__add = function(a, b) return "add" end
local o = setmetatable({}, mt)
o.x = 5
print(o.x, o.y, o(1, 2), tostring(o), #o, o .. "s", "s" .. o, -o, o + 1, 1 + o)
local V = {}
V.__eq = function(a, b) return a.v == b.v end
V.__lt = function(a, b) return a.v < b.v end
V.__le = function(a, b) return a.v <= b.v end
local v1, v2 = setmetatable({v = 1}, V), setmetatable({v = 2}, V)
print(v1 == v2, v1 < v2, v1 <= v2, v1 > v2, v1 >= v2, v1 ~= v2)
-- inheritance
local Base = {}
Base.__index = Base
function Base:name() return "base" end
function Base:hello() return "hello from " .. self:name() end
local Derived = setmetatable({}, {__index = Base})
Derived.__index = Derived
function Derived:name() return "derived" end
print(setmetatable({}, Derived):hello())
