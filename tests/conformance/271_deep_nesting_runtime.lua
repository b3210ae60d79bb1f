-- nesting at run time: pcall inside pcall, coroutines resuming coroutines, __index
-- functions calling each other, many live coroutines (all within lua5.4's C-stack limit)
local function nest_pcall(n)
  if n == 0 then return "bottom" end
  local ok, v = pcall(nest_pcall, n - 1)
  return v
end
print(nest_pcall(150))
local function nest_co(n)
  if n == 0 then return "co bottom" end
  local co = coroutine.create(nest_co)
  local ok, v = coroutine.resume(co, n - 1)
  return v
end
print(nest_co(100))
local chain = {}
for i = 1, 100 do
  local nextt = chain[i - 1]
  chain[i] = setmetatable({}, {__index = function(_, k) if nextt then return nextt[k] end return "end of chain" end})
end
print(chain[100].anything)
local cos = {}
for i = 1, 5000 do
  cos[i] = coroutine.create(function(a) local b = coroutine.yield(a + 1); return a + b end)
  coroutine.resume(cos[i], i)
end
local sum = 0
for i = 1, 5000 do local _, v = coroutine.resume(cos[i], 1); sum = sum + v end
print(sum, coroutine.status(cos[1]))
local function deep_error(n) if n == 0 then error("deep error", 0) end return (deep_error(n - 1)) end
print(pcall(deep_error, 140))
local ok, msg = pcall(string.gsub, "abc", "%w", function(c)
  local ok2, v = pcall(string.gsub, c, "%w", function(d) return d:upper() end)
  return ok2 and v
end)
print(ok, msg)
