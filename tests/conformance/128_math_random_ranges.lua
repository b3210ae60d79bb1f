-- more math.random: ranges, errors, reseeding reproduces the sequence
math.randomseed(42)
local a = {math.random(), math.random(1000), math.random(7, 9)}
math.randomseed(42)
local b = {math.random(), math.random(1000), math.random(7, 9)}
print(a[1] == b[1], a[2] == b[2], a[3] == b[3])
math.randomseed(42, 0)
print(math.random(1000000))
math.randomseed(7)
local counts = {0, 0, 0}
for i = 1, 3000 do local v = math.random(3); counts[v] = counts[v] + 1 end
print(counts[1] + counts[2] + counts[3], counts[1] > 800, counts[2] > 800, counts[3] > 800)
print(counts[1], counts[2], counts[3])
print(pcall(math.randomseed, 1.5))
math.randomseed(3.0)
print(math.random(100))
print(pcall(math.random, 2, 1))
print(pcall(math.random, 0.5))
print(pcall(math.random, 1, 2, 3))
math.randomseed(123)
local big = {}
for i = 1, 4 do big[i] = math.random(1 << 40) end
print(table.concat(big, " "))
