-- comparison rules: numbers by mathematical value, strings bytewise
print(1 == 1.0, 1 < 1.5, 2 <= 2.0, -0.0 == 0.0)
print(2^53 == 2^53 + 1, math.tointeger(2^53) == 2^53)
print(9007199254740993 < 9007199254740992.0, 9007199254740993 > 9007199254740992.0)
print(math.maxinteger < 2^63, math.maxinteger + 0.0 == 2^63, math.maxinteger == 2^63)
print(math.mininteger == -2^63, math.mininteger < -2^63)
print("a" < "b", "Z" < "a", "" < "a", "abc" < "abd", "ab" < "abc")
print("a\0b" < "a\0c", "a\0" > "a", "\xff" > "a", "10" < "9")
local nan = 0 / 0
print(nan == nan, nan < 1, nan > 1, nan <= nan, 1 ~= nan)
print("1" == 1, {} == {}, print == print)
local t = {}
print(t == t, t ~= {}, nil == false)
print(1 < math.huge, -math.huge < math.mininteger, math.maxinteger < math.huge)
print(3 > 2, 3 >= 3, 2 ~= 2.0)
