-- 64-bit two's complement wraparound of integer operations
local max, min = math.maxinteger, math.mininteger
print(max, min)
print(max + 1 == min, max + 1)
print(min - 1 == max, min - 1)
print(max * 2)
print(min * -1, -min)
print(max * max)
print(min // -1, min % -1)
print(0x7fffffffffffffff + 0x7fffffffffffffff)
print(123456789 * 987654321 * 1000)
local x = 1
for i = 1, 70 do x = x * 2 end
print(x)
x = 3
for i = 1, 50 do x = x * 3 end
print(x)
print(max + 1.0, math.type(max + 1.0))
print(min + 0.0)
print(-(-9223372036854775807 - 1))
print(math.abs(min))
print(9007199254740993, 9007199254740993 + 0.0)
