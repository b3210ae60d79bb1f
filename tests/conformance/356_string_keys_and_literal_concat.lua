-- t[k] with k a local holding a string (read and store in place), and a literal string
-- joined to any expression with '..': integers, floats, strings, __concat, errors.
local function try(f, ...)
  local r = table.pack(pcall(f, ...))
  for i = 1, r.n do r[i] = tostring(r[i]) end
  print(table.concat(r, " ", 1, r.n))
end

local words = {"alpha", "beta", "alpha", "gamma", "beta", "alpha", "1", "1.0"}
local count = {}
for i = 1, #words do
  local k = words[i]
  count[k] = (count[k] or 0) + 1
end
local keys = {}
for k, v in pairs(count) do keys[#keys + 1] = k .. "=" .. v end
table.sort(keys)
print(table.concat(keys, " "), count[1], count["1"])

-- keys of every type through a local key variable
local t = {}
local ks = {"s", 1, 2.0, 3.5, true, -1, 0, "", math.maxinteger}
for i = 1, #ks do local k = ks[i]; t[k] = i end
for i = 1, #ks do local k = ks[i]; io.write(tostring(t[k]), " ") end
print(#t, t[2], t[3.5])
local k = nil
try(function() t[k] = 1 end)
k = 0/0
try(function() t[k] = 1 end)
print(t[k])
-- assigning nil through a string key, and a key that is absent
k = "s"
t[k] = nil
print(t[k], t.s, rawget(t, "s"))
-- __index / __newindex behind string keys
local log = {}
local proxy = setmetatable({}, {
  __index = function(_, key) log[#log + 1] = "get " .. tostring(key); return "dflt" end,
  __newindex = function(tab, key, v) log[#log + 1] = "set " .. tostring(key); rawset(tab, key, v) end,
})
local key = "name"
print(proxy[key])
proxy[key] = "v1"
print(proxy[key])
proxy[key] = "v2"
print(proxy[key], table.concat(log, ","))
local base = {inherited = "yes"}
local child = setmetatable({}, {__index = base})
key = "inherited"
print(child[key])
-- a string key updated during a pairs() traversal (allowed: existing key)
local tr = {a = 1, b = 2, c = 3}
local seen = 0
for kk in pairs(tr) do local key2 = kk; tr[key2] = tr[key2] * 10; seen = seen + 1 end
print(seen, tr.a, tr.b, tr.c)
for kk in pairs(tr) do local key3 = kk; tr[key3] = nil end
print(next(tr))
-- indexing values that are not tables with a string key
local s = "text"
key = "len"
print(s[key] == string.len)
try(function() local n = 5; return n[key] end)
try(function() local n; n[key] = 1 end)

-- literal .. expression
local vals = {1, -7, 0, math.maxinteger, math.mininteger, 1.5, -0.0, 1e100, 2^63, 1/0, -1/0, "str", "10", ""}
for i = 1, #vals do
  local v = vals[i]
  io.write("[" .. v .. "]", (v .. "|"), " ")
end
print()
print("n" .. (3 // 1), "f" .. (3 / 1), (7 % 4) .. "m", ("x"):rep(2) .. "y", "#" .. #vals)
try(function() return "a" .. {} end)
try(function() local b = true; return "a" .. b end)
try(function() local u; return u .. "z" end)
try(function() return "a" .. (nil) end)
local obj = setmetatable({}, {__concat = function(x, y)
  return (type(x) == "table" and "OBJ" or x) .. "+" .. (type(y) == "table" and "OBJ" or y)
end})
print("pre" .. obj, obj .. "post")
local function two() return "r1", "r2" end
print("call:" .. two(), two() .. ":call")
local n = 0
local function tick() n = n + 1; return n end
print("t" .. tick(), tick() .. "t", n)
print(pcall(function() return "x" .. math.huge * 0 end))
