-- pairs and ipairs return their iterator triples
local t = {1, 2, 3}
local f, s, c = pairs(t)
print(f == next, s == t, c)
local g, s2, c2 = ipairs(t)
print(type(g), s2 == t, c2)
local out = {}
for i, v in ipairs({"a", "b", nil, "d"}) do out[#out + 1] = i .. v end
print(table.concat(out, " "))
print(pcall(pairs))
print(pcall(ipairs))
local sum = 0
for k, v in pairs({5, 6, 7}) do sum = sum + k * v end
print(sum)
local names = {}
for k in pairs({x = 1, y = 2, z = 3}) do names[#names + 1] = k end
table.sort(names)
print(table.concat(names))
print(pcall(function() for k in pairs(5) do end end))
for i, v in ipairs("abc") do print(i, v) end
print("strings have no integer fields")
