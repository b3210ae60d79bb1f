-- ^ always works on floats
print(2 ^ 10, math.type(2 ^ 10))
print(2 ^ 0.5, 2 ^ -1, 0 ^ 0, 10 ^ 2)
print(2 ^ 3 ^ 2, (2 ^ 3) ^ 2)
print((-8) ^ (1 / 3) ~= (-8) ^ (1 / 3))
print((-2) ^ 3, (-2) ^ 2)
print(1 ^ math.huge, math.huge ^ 0, 0 ^ -1)
print(2 ^ 1023 * 2, 2 ^ 1024, 2 ^ -1080)
print(string.format("%.10f", 3 ^ 0.5))
