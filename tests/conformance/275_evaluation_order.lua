-- the order lua5.4 evaluates subexpressions in (left to right; the manual leaves
-- much of this unspecified, but real code like print(s:receive(), s:receive()) relies on it)
local log = {}
local function v(name, value) log[#log + 1] = name; return value end
local function show(label) print(label, table.concat(log, " ")); log = {} end
local t = {}
t[v("key", 1)] = v("value", 2)
show("t[k] = v")
local _ = v("a", 1) + v("b", 2) * v("c", 3)
show("a + b * c")
_ = v("x", "1") .. v("y", "2") .. v("z", "3")
show("x .. y .. z")
_ = {v("p1", 1), v("p2", 2), k = v("k", 3), v("p3", 4)}
show("constructor")
local function f(...) return ... end
f(v("arg1"), v("arg2"), v("arg3"))
show("arguments")
local a, b = v("rhs1", 1), v("rhs2", 2)
show("local a, b")
t[v("i1", 1)], t[v("i2", 2)] = v("r1", 1), v("r2", 2)
show("t[i], t[j] = r1, r2")
_ = v("l", 1) < v("r", 2)
show("l < r")
_ = v("obj", {m = function() end}).m(v("marg"))
show("obj.m(arg)")
_ = v("n1", 2) ^ v("n2", 3) ^ v("n3", 1)
show("n1 ^ n2 ^ n3")
_ = v("and1", true) and v("and2", false) or v("or3", 1)
show("and/or")
