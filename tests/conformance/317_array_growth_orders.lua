-- filling arrays out of order: every element must be seen by ipairs, #, table functions
local function seq(t) local o = {} for i, v in ipairs(t) do o[#o + 1] = v end return table.concat(o, ",") end
local t = {}
t[3] = "c"; t[1] = "a"; t[2] = "b"
print(#t, seq(t), table.concat(t, ""))
local u = {}
for i = 1, 5 do u[i] = i end
u[7] = 7; u[6] = 6
print(#u, seq(u), select("#", table.unpack(u)))
local v = {}
for i = 10, 1, -1 do v[i] = i end
print(#v, seq(v))
local w = {1, 2, 3}
w[5] = 5; w[4] = 4; w[3] = nil; w[3] = 3
print(#w, seq(w))
local x = {}
x[1.0] = "one"; x[2] = "two"; x[3.0] = "three"
print(#x, seq(x), math.type(next(x)))
local y = {n = 0}
for i = 1, 100 do y[#y + 1] = i end
for i = 100, 51, -1 do y[i] = nil end
y[51] = "back"
print(#y, y[51], y[50])
local z = {}
z[2] = "b"; z[4] = "d"; z[1] = "a"; z[3] = "c"
table.insert(z, "e")
print(#z, seq(z))
