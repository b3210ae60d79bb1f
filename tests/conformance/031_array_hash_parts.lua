-- integer keys and other keys in one table
local t = {}
for i = 1, 100 do t[i] = i * i end
local sum = 0
for i, v in ipairs(t) do sum = sum + v end
print(#t, sum)
t.name = "x"
t[0] = "zero"; t[-1] = "neg"; t[1.5] = "float"
print(#t, t[0], t[-1], t[1.5], t.name)
local count = 0
for k, v in pairs(t) do count = count + 1 end
print(count)
-- pairs visits the array part 1..n in order for a proper sequence
local seq = {"a", "b", "c", "d"}
local out = {}
for k, v in pairs(seq) do out[#out + 1] = k .. "=" .. v end
print(table.concat(out, " "))
-- sparse integer keys
local sp = {}
sp[1000000] = 1; sp[1] = 2
print(sp[1000000], sp[1], sp[2])
local keys = {}
for k in pairs(sp) do keys[#keys + 1] = k end
table.sort(keys)
print(table.concat(keys, ","))
