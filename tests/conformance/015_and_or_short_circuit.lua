-- and/or evaluate the right operand only when needed
local calls = {}
local function f(name, v) calls[#calls + 1] = name; return v end
local r = f("a", false) and f("b", true)
print(r, table.concat(calls, ","))
calls = {}
r = f("a", 1) or f("b", 2)
print(r, table.concat(calls, ","))
calls = {}
r = f("a", nil) or f("b", false) or f("c", "x")
print(r, table.concat(calls, ","))
calls = {}
r = f("a", 1) and f("b", 2) and f("c", 3)
print(r, table.concat(calls, ","))
local function multi() return 1, 2, 3 end
print((multi()) and multi())
print(multi() or 5)
print(nil or multi())
print(false and multi() or "else")
local a = 5
local max = a > 3 and "big" or "small"
print(max)
