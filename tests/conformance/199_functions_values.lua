-- function definitions: statements, fields, methods, local recursion
local obj = {a = {b = {}}}
function obj.a.b.f(x) return x * 2 end
function obj.a.b:m(x) return self == obj.a.b, x end
print(obj.a.b.f(4), obj.a.b:m(5))
local function rec(n) if n == 0 then return "done" end return rec(n - 1) end
print(rec(5))
local fact
fact = function(n) return n <= 1 and 1 or n * fact(n - 1) end
print(fact(10))
local compose = function(f, g) return function(...) return f(g(...)) end end
local inc = function(x) return x + 1 end
local dbl = function(x) return x * 2 end
print(compose(inc, dbl)(5), compose(dbl, inc)(5))
local ops = {add = function(a, b) return a + b end, ["sub"] = function(a, b) return a - b end}
print(ops.add(1, 2), ops["sub"](5, 3))
print((function(...) return select("#", ...) end)(1, 2, 3))
local function missing(a, b, c) return a, b, c end
print(missing(1))
print(missing(1, 2, 3, 4))
print(type(function() end), (function() end)())
