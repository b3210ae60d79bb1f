-- float keys with integral values are converted to integers (3.4.3 / 2.1)
local t = {}
t[2.0] = "two"
print(t[2], math.type(next(t)))
t[2] = "TWO"
print(t[2.0])
t[true] = "yes"; t[1] = "one"
print(t[true], t[1], t[1.0])
t["2"] = "string two"
print(t[2], t["2"])
t[-0.0] = "zero"
print(t[0], t[0.0])
t[2^53] = "2^53"
print(t[9007199254740992])
t[0.5] = "half"
print(t[0.5], t[1/2])
local c = 0
for k, v in pairs(t) do c = c + 1 end
print(c)
local keys = {}
for k in pairs({[1.0] = 1, [3.0] = 3}) do keys[#keys + 1] = math.type(k) end
print(table.concat(keys, ","))
print(rawget(t, 2.0), rawequal(2, 2.0))
