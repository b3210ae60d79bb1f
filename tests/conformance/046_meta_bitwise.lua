-- bitwise metamethods
local mt = {}
local function box(v) return setmetatable({v = v}, mt) end
local function val(x) return type(x) == "table" and x.v or x end
mt.__band = function(a, b) return box(val(a) & val(b)) end
mt.__bor = function(a, b) return box(val(a) | val(b)) end
mt.__bxor = function(a, b) return box(val(a) ~ val(b)) end
mt.__shl = function(a, b) return box(val(a) << val(b)) end
mt.__shr = function(a, b) return box(val(a) >> val(b)) end
mt.__bnot = function(a) return box(~val(a)) end
local x = box(12)
print((x & 10).v, (x | 3).v, (x ~ 5).v, (x << 2).v, (x >> 2).v, (~x).v)
print((10 & x).v, (1 << box(4)).v)
local f = setmetatable({}, {__band = function(a, b) return "float op" end})
print(1.5 & f, f & 2.5)
print(pcall(function() return 1.5 & 1 end))
