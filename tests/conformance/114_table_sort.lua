-- table.sort with the default and custom comparators
local t = {5, 2, 8, 1, 9, 3}
table.sort(t)
print(table.concat(t, " "))
table.sort(t, function(a, b) return a > b end)
print(table.concat(t, " "))
local words = {"banana", "Apple", "cherry", "apple", "Banana"}
table.sort(words)
print(table.concat(words, " "))
table.sort(words, function(a, b) return a:lower() < b:lower() or (a:lower() == b:lower() and a < b) end)
print(table.concat(words, " "))
local mixed = {3, 1.5, 2, -1, 2.25}
table.sort(mixed)
print(table.concat(mixed, " "))
local recs = {{n = "b", a = 2}, {n = "a", a = 3}, {n = "c", a = 1}}
table.sort(recs, function(x, y) return x.a < y.a end)
print(recs[1].n, recs[2].n, recs[3].n)
print(pcall(table.sort, {true, false, true}))
print(pcall(table.sort, {{}, {}}))
local empty = {}
table.sort(empty)
print(#empty)
local one = {42}
table.sort(one)
print(one[1])
print(pcall(table.sort, {3, 2, 1}, 5))
