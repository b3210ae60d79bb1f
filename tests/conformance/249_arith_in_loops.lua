-- arithmetic in hot loops keeps Lua's rules (wraparound, subtypes, coercion)
local acc = math.maxinteger - 5
for i = 1, 10 do acc = acc + 1 end
print(acc)
local m = 1
for i = 1, 70 do m = m * 3 end
print(m)
local f = 0
for i = 1, 10 do f = f + 0.1 end
print(f, f == 1.0, math.type(f))
local mix = 0
for i = 1, 10 do mix = mix + (i % 2 == 0 and i or i + 0.0) end
print(mix, math.type(mix))
local s = 0
for i = -10, 10 do s = s + i // 3 + i % 3 end
print(s)
local q = 0
for i = 1, 20 do q = q + ("" .. i) * 1 end
print(q, math.type(q))
local cmp = 0
for i = 1, 100 do if i < 50.5 then cmp = cmp + 1 end end
print(cmp)
local big = 2^53
for i = 1, 3 do big = big + 1 end
print(string.format("%.0f", big))
local neg = 0
for i = 1, 5 do neg = neg - math.mininteger end
print(neg)
local shifts = 1
for i = 1, 70 do shifts = shifts << 1 | 1 end
print(shifts)
local divs = {}
for i = 1, 5 do divs[#divs + 1] = (i * 7) / 2 end
print(table.concat(divs, " "))
