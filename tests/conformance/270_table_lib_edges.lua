-- table library edge cases
print(table.remove({[0] = "zero"}))
local z = {[0] = "zero"}
table.remove(z)
print(z[0])
print(table.unpack({}, -2, 0))
print(select("#", table.unpack({}, -2, 0)))
local t = {1, 2, 3}
table.move(t, 1, 3, -1)
print(t[-1], t[0], t[1], t[2], t[3])
print(table.concat({}, ", ", 5, 4), table.concat({"a", "b"}, nil), table.concat({1, 2}, 3))
local big = {}
for i = 1, 5 do big[i] = i end
print(table.remove(big, 1), table.remove(big, #big), table.concat(big, ""))
print(pcall(table.insert, {1, 2}, 4, "x"))
print(pcall(table.insert, {1, 2}, -1, "x"))
local ins = {}
table.insert(ins, 1, "a")
table.insert(ins, 1, "b")
table.insert(ins, 3, "c")
print(table.concat(ins))
print(table.pack(table.unpack({1, 2, 3}, 2)).n)
print(math.randomseed(42))
print(select("#", math.randomseed(42)))
local s = {5, 3, 8}
table.sort(s, function(a, b) return a > b and 1 or nil end)
print(table.concat(s, " "))
local words = {"b", "a", "c"}
table.sort(words, nil)
print(table.concat(words))
