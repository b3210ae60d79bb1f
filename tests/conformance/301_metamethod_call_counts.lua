-- how many times metamethods run for common statements
local counts = {}
local function bump(k) counts[k] = (counts[k] or 0) + 1 end
local store = {}
local proxy = setmetatable({}, {
  __index = function(_, k) bump("index " .. tostring(k)); return store[k] end,
  __newindex = function(_, k, v) bump("newindex " .. tostring(k)); store[k] = v end,
  __len = function() bump("len"); return #store end,
  __call = function(self, ...) bump("call"); return select("#", ...) end,
  __concat = function(a, b) bump("concat"); return "cat" end,
  __eq = function() bump("eq"); return true end,
})
store.m = function(self, x) return x end
proxy:m(1)
proxy.m(proxy, 2)
store.x = 0
proxy.x = proxy.x + 1
proxy[#proxy + 1] = "appended"
local _ = proxy .. "a" .. "b"
_ = "a" .. "b" .. proxy
_ = proxy == setmetatable({}, getmetatable(proxy))
_ = proxy ~= setmetatable({}, getmetatable(proxy))
proxy(1, 2, 3)
for i = 1, 3 do _ = proxy.x end
local keys = {}
for k, v in pairs(counts) do keys[#keys + 1] = k .. "=" .. v end
table.sort(keys)
print(table.concat(keys, ", "))
