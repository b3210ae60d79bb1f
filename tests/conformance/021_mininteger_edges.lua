-- edges around math.mininteger / maxinteger
local min, max = math.mininteger, math.maxinteger
print(min, -9223372036854775807 - 1 == min)
print(-9223372036854775808, math.type(-9223372036854775808))
print(9223372036854775807, math.type(9223372036854775807))
print(9223372036854775808, math.type(9223372036854775808))
print(min // -1, min % -1, min * -1)
print(min // 1, min % 2, max % 2)
print(max // -1, max % -max)
print(tostring(min), string.format("%d", min))
print(min < max, min + max, max - min)
print(math.abs(min + 1), -(min + 1))
print(min / -1)
print(string.format("%x", min), string.format("%x", max))
