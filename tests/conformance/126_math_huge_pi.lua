-- math.huge and math.pi
print(math.huge, -math.huge, math.type(math.huge))
print(math.huge > math.maxinteger, -math.huge < math.mininteger, math.huge == 1/0)
print(math.pi, string.format("%.15f", math.pi), math.pi == 3.141592653589793)
print(math.huge - math.huge ~= math.huge - math.huge, math.huge + 1 == math.huge)
print(math.floor(math.pi * 1000), math.ceil(math.pi))
