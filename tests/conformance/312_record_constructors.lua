-- record-style constructors with nil values, calls returning nothing, string/integer keys
local function none() end
local function two() return "a", "b" end
local t = {x = nil, y = 1, z = none(), w = two(), ["1"] = "str", [1] = "int", v = false}
local keys = {}
for k, v in pairs(t) do keys[#keys + 1] = tostring(k) .. "=" .. tostring(v) end
table.sort(keys)
print(table.concat(keys, " "), #t)
print(t.x, t.z, t.w, t["1"], t[1], t.v)
local n = 0
for _ in pairs({a = nil, b = nil}) do n = n + 1 end
print(n, next({a = nil}))
print(pcall(function() return {a = 1, b = error("midway", 0), c = 3} end))
local order = {}
local function v(name) order[#order + 1] = name; return name end
local r = {first = v("1"), second = v("2"), [v("k3")] = v("3"), v("positional")}
print(table.concat(order, ","), r.first, r.k3, r[1])
local nested = {a = {b = {c = nil, d = {}}}}
print(next(nested.a.b), type(nested.a.b.d))
