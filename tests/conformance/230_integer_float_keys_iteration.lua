-- mixed numeric keys: 1, 1.5, 2.0 (normalised), negative and huge keys
local t = {}
t[1] = "a"; t[1.5] = "b"; t[2.0] = "c"; t[-1] = "d"; t[math.maxinteger] = "e"; t[math.mininteger] = "f"; t[1e300] = "g"
local ks = {}
for k, v in pairs(t) do ks[#ks + 1] = string.format("%s=%s(%s)", tostring(k), v, math.type(k)) end
table.sort(ks)
print(table.concat(ks, " "))
print(#t, t[2], t[1.5], t[1e300], t[2^63])
t[2^63] = "h"
print(t[2^63], t[math.mininteger])
