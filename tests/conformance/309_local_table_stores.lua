-- stores into local tables in every shape: appends, holes, floats, nil, NaN, and tables
-- that gain a metatable later (also through an alias or a function)
local log = {}
local mt = {__newindex = function(t, k, v) log[#log + 1] = tostring(k); rawset(t, k, v) end}
local t = {}
t[1] = "a"; t[#t + 1] = "b"; t[4] = "d"; t[0] = "zero"; t[-1] = "neg"; t[2.0] = "B"; t[3] = "c"
print(#t, t[2], t[4], t[0], t[-1])
t[4] = nil; t[3] = nil
print(#t, t[3])
print(pcall(function() t[0 / 0] = 1 end))
print(pcall(function() local k; t[k] = 1 end))
local alias = t
setmetatable(alias, mt)
t.newkey = 1
t[10] = "ten"
t[1] = "existing key: no __newindex"
print(table.concat(log, ","), t.newkey, t[10], t[1])
log = {}
local u = {}
local function arm(x) setmetatable(x, mt) end
for i = 1, 3 do
  if i == 2 then arm(u) end
  u[i] = i
end
print(table.concat(log, ","), u[1], u[2], u[3])
log = {}
local v = {x = 1}
v.x = nil
setmetatable(v, mt)
v.x = 2
print(table.concat(log, ","), rawget(v, "x"))
local w = setmetatable({}, {__newindex = {}})
w.k = "goes to the other table"
print(rawget(w, "k"), getmetatable(w).__newindex.k)
local s = {}
for i = 1, 5 do s[i] = i * i end
for i = 1, 5, 2 do s[i] = nil end
local keys = {}
for k in pairs(s) do keys[#keys + 1] = k end
table.sort(keys)
print(table.concat(keys, ","), s[2], s[4])
local f = {}
f[1.5] = "float"; f[2^53] = "big"; f[-0.0] = "negzero"; f["1"] = "string one"
print(f[1.5], f[2^53 | 0], f[0], f[1], f["1"])
