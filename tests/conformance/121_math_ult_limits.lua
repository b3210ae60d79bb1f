-- math.ult, maxinteger, mininteger
print(math.maxinteger, math.mininteger, math.maxinteger + math.mininteger)
print(math.ult(1, 2), math.ult(2, 1), math.ult(-1, 1), math.ult(1, -1), math.ult(0, math.mininteger))
print(math.ult(math.maxinteger, math.mininteger), math.ult(-2, -1))
print(pcall(math.ult, 1.5, 2))
print(pcall(math.ult, 1))
print(math.ult(1.0, 2))
print(math.type(math.maxinteger), math.type(math.mininteger))
