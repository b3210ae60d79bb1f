-- sorting many values produced by a fixed generator
local seed = 12345
local function rnd() seed = (seed * 1103515245 + 12345) % 2147483648; return seed end
local t = {}
for i = 1, 2000 do t[i] = rnd() % 100000 end
table.sort(t)
local ok = true
for i = 2, #t do if t[i - 1] > t[i] then ok = false end end
local sum = 0
for i = 1, #t, 100 do sum = sum + t[i] end
print(ok, #t, t[1], t[#t], sum)
local s = {}
for i = 1, 500 do s[i] = string.format("%05d", rnd() % 50000) end
table.sort(s, function(a, b) return a > b end)
print(s[1], s[250], s[500])
local dup = {}
for i = 1, 300 do dup[i] = i % 7 end
table.sort(dup)
print(dup[1], dup[43], dup[44], dup[300])
