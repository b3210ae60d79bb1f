-- in a multiple assignment all expressions are evaluated before any assignment (3.3.3)
local a, b = 1, 2
a, b = b, a
print(a, b)
local t = {}
local i = 1
i, t[i] = i + 1, 20
print(i, t[1], t[2])
local x, y, z = 1, 2
print(x, y, z)
x, y = 10, 20, 30
print(x, y)
local q = {1, 2, 3}
q[1], q[2], q[3] = q[3], q[1], q[2]
print(q[1], q[2], q[3])
local j = 1
local arr = {"a", "b", "c"}
arr[j], j = "changed", 2
print(arr[1], arr[2], j)
local function two() return "p", "q" end
local m, n, o = two()
print(m, n, o)
m, n, o = two(), "r"
print(m, n, o)
m, n, o = "s", two()
print(m, n, o)
