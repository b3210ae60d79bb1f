-- operations involving -0.0 and infinities
local nz = -0.0
print(nz, 0.0 == nz, 1 / nz, 1 // nz, math.type(nz // 1))
print(nz + 0, nz * 1, nz - 0.0, -nz, 0.0 * -1)
print(math.huge // 1, -math.huge // 1, math.huge % 2 ~= math.huge % 2)
print(5 // math.huge, -5 // math.huge, 5 % -math.huge, -5 % math.huge)
print(string.format("%g %g", nz, -nz), tostring(nz) == "-0.0")
print(math.max(nz, 0.0), math.min(0.0, nz), math.abs(nz))
print(nz // -1, 0 // -1, 0.0 // -1)
print(3 % -0.0 ~= 3 % -0.0, math.fmod(3, -0.0) ~= math.fmod(3, -0.0))
