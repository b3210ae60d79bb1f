-- unary minus, not, length, bitwise not
print(-"2", - -2, -(-2.5), -math.mininteger == math.mininteger)
print(not nil, not false, not 0, not "")
print(~0, ~1, ~-2, ~0xff)
print(- - -3, not not not true)
print(-2 ^ 2, (-2) ^ 2, -2 ^ -2)
print(#"x" + 1, -#"abc")
local t = {1, 2}
print(-#t, not #t)
