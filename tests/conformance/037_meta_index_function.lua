-- __index as a function receives the table and the key
local log = {}
local t = setmetatable({present = 1}, {__index = function(tab, key)
  log[#log + 1] = tostring(key)
  return key .. "!"
end})
print(t.present, t.absent, t[1], t.present)
print(table.concat(log, ","))
local fib = setmetatable({[0] = 0, [1] = 1}, {__index = function(self, n)
  local v = self[n - 1] + self[n - 2]
  self[n] = v
  return v
end})
print(fib[50], fib[80])
local calls = 0
local memo = setmetatable({}, {__index = function(t, k) calls = calls + 1; rawset(t, k, k * 2); return k * 2 end})
print(memo[3], memo[3], memo[4], calls)
