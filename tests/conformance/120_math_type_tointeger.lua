-- math.type and math.tointeger
print(math.type(1), math.type(1.0), math.type("1"), math.type(nil), math.type({}))
print(pcall(math.type))
print(math.tointeger(5), math.tointeger(5.0), math.tointeger(5.5), math.tointeger(-0.0))
print(math.tointeger("8"), math.tointeger("x"), math.tointeger({}), math.tointeger(2^63), math.tointeger(1/0))
print(math.tointeger(math.mininteger + 0.0), math.tointeger(0/0))
print(pcall(math.tointeger))
