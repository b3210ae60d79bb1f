-- math.random sequence after math.randomseed(42) (xoshiro256**)
math.randomseed(42)
local r = {}
for i = 1, 5 do r[#r + 1] = math.random(100) end
print(table.concat(r, " "))
r = {}
for i = 1, 5 do r[#r + 1] = math.random(-10, 10) end
print(table.concat(r, " "))
for i = 1, 3 do print(string.format("%.17g", math.random())) end
print(math.random(0))
print(math.random(math.mininteger, math.maxinteger))
print(math.random(1, 1), math.random(3, 3))
local f = math.random()
print(f >= 0 and f < 1, math.type(f), math.type(math.random(5)))
