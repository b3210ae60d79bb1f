-- integral floats stay floats when printed, but become integer keys
local f = 3.0
local t = {[f] = "x"}
for k in pairs(t) do print(k, math.type(k)) end
print(f, f .. "", tostring(f), string.format("%s", f), #tostring(f))
print(2^31, 2^31 | 0, 1e3, 1e3 // 1, 7 / 7, 7 // 7)
print(string.format("%d", 2^31), math.tointeger(1e3))
print(-0.0 == 0, tostring(-0.0), tostring(0.0), tostring(-0.0 + 0))
