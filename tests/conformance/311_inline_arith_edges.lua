-- arithmetic on locals with literal operands: division by zero, wraparound, shifts, NaN
local x, y, z, m = 7, -7, 0, math.mininteger
local f, nz = 7.5, -0.0
print(x / 0, y / 0, z / 0 ~= z / 0, x / 0.0, x // 0.0, y // 0.0, x % 0.0 ~= x % 0.0)
print(f // 0, f % 0 ~= f % 0, f / 0, nz // 1, nz % 1)
print(pcall(function() return x // 0 end))
print(pcall(function() return x % 0 end))
print(pcall(function() return z // z end))
print(m // -1, m % -1, m * -1, m - 1, -m, m + m)
print(x << 64, x << 63, x >> 64, x >> -1, x << -1, y >> 1, y >> 63, y << 62)
print(x & 3, y & 0xff, y | 0, x ~ -1, ~y, x & 7.0, pcall(function() return x & 1.5 end))
print(x ^ 2, y ^ 0.5 ~= y ^ 0.5, x ^ -1, 2 ^ 63 == m * -1.0)
print(x < 7.5, x <= 7.0, x > 6.9999999999999, y < -7.0000001, 2^53 + 1 > 2^53)
local big = 9007199254740993
print(big < 9007199254740992.0, big > 9007199254740992.0, big == 9007199254740992.0, big + 0.0)
print(x % -3, y % 3, y % -3, f % -2, -f % 2, y // 2, y // -2, f // -2)
print(x * 1.0, math.type(x * 1.0), x + 0.0, math.type(x - 0), x // 1.0, math.type(x % 1))
local i = math.maxinteger
i = i + 1
print(i, i - 1, i * 2, (i - 1) * 2)
local nan = 0 / 0
print(x < nan, x > nan, x == nan, nan ~= nan, x <= nan)
