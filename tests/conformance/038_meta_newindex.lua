-- __newindex as function and as table; only for absent keys
local log = {}
local t = setmetatable({existing = 1}, {__newindex = function(tab, k, v)
  log[#log + 1] = k .. "=" .. tostring(v)
  rawset(tab, k, v and v * 2)
end})
t.existing = 5
t.new = 10
t.new = 20
print(t.existing, t.new, table.concat(log, " "))
local store = {}
local proxy = setmetatable({}, {__newindex = store, __index = store})
proxy.a = 1
print(rawget(proxy, "a"), store.a, proxy.a)
local ro = setmetatable({}, {__newindex = function(_, k) error("read-only: " .. k, 2) end})
print(pcall(function() ro.x = 1 end))
local chain = setmetatable({}, {__newindex = setmetatable({}, {__newindex = function(_, k, v) print("deep", k, v) end})})
chain.z = 9
print(rawget(chain, "z"))
