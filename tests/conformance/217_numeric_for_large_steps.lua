-- numeric for with huge steps and limits near the integer range ends
local max, min = math.maxinteger, math.mininteger
local c = 0
for i = 1, 10, max do c = c + 1 end
print(c)
c = 0
for i = -1, -10, min do c = c + 1 end
print(c)
c = 0
for i = min, min + 10, 5 do c = c + 1 end
print(c)
c = 0
for i = max, max - 10, -5 do c = c + 1 end
print(c)
for i = 0.1, 0.35, 0.1 do io.write(string.format("%.2f ", i)) end print()
for i = 3, 2.5, -0.25 do io.write(i, " ") end print()
c = 0
for i = 1, -math.huge do c = c + 1 end
print(c)
c = 0
for i = max - 1, 1e100 do c = c + 1 end
print(c)
c = 0
for i = 1, 2^53 + 0.0, 2^52 | 0 do c = c + 1 end
print(c)
