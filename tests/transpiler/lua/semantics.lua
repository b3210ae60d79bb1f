-- metamethod-heavy: __index function chains, __newindex tables, rawset/rawget
local log = {}
local proxy = setmetatable({}, {
  __index = function(t, k) log[#log+1] = "get " .. tostring(k); return k == "x" and 42 or nil end,
  __newindex = function(t, k, v) log[#log+1] = "set " .. tostring(k); rawset(t, k, v) end,
})
print(proxy.x, proxy.y, proxy[1])
proxy.z = 1
proxy.z = 2  -- exists now: no __newindex
print(proxy.z, table.concat(log, ","))
-- __index on _ENV
local env = setmetatable({}, {__index = _G})
local chunk = load("v = 10; return print ~= nil, v", "c", "t", env)
print(chunk())
print(env.v, v)
-- multiple returns through pcall and select
local function mr() return 1, nil, 3, nil end
print(select("#", mr()), select("#", pcall(mr)))
print(pcall(mr))
-- table.unpack with nils
print(table.unpack({1, nil, 3}, 1, 3))
-- string coercions in arithmetic and concat
print("10" + 5, "3.5" * 2, 10 .. "", "0x10" * 1, " 5 " + 0)
print(pcall(function() return "abc" + 1 end))
print(pcall(function() return {} .. "" end))
-- integer/float distinctions
print(3 / 2, 3 // 2, 3.0 // 2, 3 % 2.0, 2^2, 7 // -2, -7 % -3, 1e15 // 1)
print(math.type(3 // 1), math.type(3.0 // 1), math.tointeger(3.0), 0x7fffffffffffffff + 1 == math.mininteger)
-- string escapes roundtrip
local s = "\0\1\127\128\255\r\n\t\v\f\a\b\\\"'"
print(#s, s:byte(1, -1))
print(("%q"):format(s))
-- method call with table arg and string arg syntax
local o = {f = function(self, a) return type(a) end}
print(o:f{}, o:f"str", o.f(o, 1))
-- chained calls f()()
local function mk() return function() return function() return "deep" end end end
print(mk()()())
-- call with parenthesised multi results
local function two() return "a", "b" end
print((two()), two())
print(#{two(), two()}, #{(two()), (two())})
