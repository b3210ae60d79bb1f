-- integer loops never overflow (3.3.5: the loop count is computed first)
local max, min = math.maxinteger, math.mininteger
for i = max - 2, max do io.write(i, " ") end print()
for i = min + 2, min, -1 do io.write(i, " ") end print()
local c = 0
for i = 1, max, max // 2 do c = c + 1 end
print(c)
c = 0
for i = min, max, max do c = c + 1 end
print(c)
c = 0
for i = 1, math.huge do c = c + 1; if c == 3 then break end end
print(c)
c = 0
for i = max - 1, math.huge do c = c + 1 end
print(c)
for i = -3, -1.5 do io.write(i, " ") end print()
c = 0
for i = 0, -math.huge, -1 do c = c + 1; if c == 4 then break end end
print(c)
for i = max, max - 1 do print("never") end
c = 0
for i = 1, 3.9999 do c = c + 1 end
print(c)
for i = 5, 1.5, -1 do io.write(i, " ") end print()
