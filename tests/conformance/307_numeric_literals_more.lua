-- more numeric literal forms: exponents, hex floats, wrapping hex integers, denormals
print(0x1P+4, 1E-2, .5e1, 5.e-1, 0X.1p4, 0xA.Bp-1)
print(0x10000000000000001, 0xFFFFFFFFFFFFFFFF0, 0x8000000000000000, -0x8000000000000000)
print(1e-324, 2.5e-324, 1.7976931348623158e308, 1.7976931348623159e308)
print(0.1e1, 00.5, 1e00, 0e0, 0x0p0, 0x0.0)
print(123456789012345678901234567890, 0.000000000000000000000000000001)
print(math.type(0x7fffffffffffffff), math.type(9223372036854775807), math.type(9223372036854775808))
print(load("return 0x.p1"))
print(load("return 1e+"), load("return 0x1p"))
