-- large strings: rep, concat, byte counts, find near the end
local big = string.rep("a", 1000000)
print(#big, big:sub(-3), big:find("b"), big:find("a", -1))
local withb = big .. "b"
print(#withb, withb:find("b"), withb:find("ab", 999990, true))
local parts = {}
for i = 1, 10000 do parts[i] = tostring(i) end
local s = table.concat(parts, ",")
print(#s, s:sub(1, 10), select(2, s:gsub(",", ",")))
print(#string.format("%s%s", big, big))
local up = big:upper()
print(up:sub(1, 3), #up, up:byte(1000000))
