-- table.insert and table.remove
local t = {}
table.insert(t, "a"); table.insert(t, "b"); table.insert(t, 1, "c"); table.insert(t, 2, "d")
print(table.concat(t, ","), #t)
table.insert(t, #t + 1, "e")
print(table.concat(t, ","))
print(pcall(table.insert, t, 10, "x"))
print(pcall(table.insert, t, 0, "x"))
print(pcall(table.insert, t))
print(pcall(table.insert, t, 1, 2, 3))
print(pcall(table.insert, nil, 1))
print(table.remove(t), table.concat(t, ","))
print(table.remove(t, 1), table.concat(t, ","))
print(table.remove(t, 2), table.concat(t, ","))
print(table.remove({}), table.remove({}, 0), table.remove({}, 1))
local u = {1, 2, 3}
print(table.remove(u, #u + 1), #u)
print(pcall(table.remove, u, 7))
print(pcall(table.remove, u, -1))
local z = {[0] = "zero"}
print(table.remove(z, 0), z[0])
print(select("#", table.insert({}, 1)))
local big = {}
for i = 1, 100 do table.insert(big, 1, i) end
print(big[1], big[100], #big)
while #big > 0 do table.remove(big) end
print(#big)
