-- number to string uses "%.14g" for floats and adds ".0" to integral floats
local vals = {3.14159265358979, 1e300, 2^53, 123456789012345678, 123456789012345678.0,
  -0.0, 1/3, 100.0, 1e14, 1e15, 1e16, 0.1, 12345.678, 2^-1074, 1.7976931348623157e308,
  -1.5, 255 / 5, 1e-10, 123e5, 0.000001}
for i, v in ipairs(vals) do print(i, tostring(v), math.type(v)) end
print(tostring(1/0), tostring(-1/0))
print(tostring(3) == "3", tostring(3.0) == "3.0")
print(string.format("%.14g", 0.1), string.format("%.17g", 0.1))
