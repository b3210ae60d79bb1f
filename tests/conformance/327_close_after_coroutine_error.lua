-- Lua 5.4 manual 3.3.8: a coroutine that ends with an error does not unwind its stack,
-- so its to-be-closed variables stay open until coroutine.close is called on it
local log = {}
local function res(name) return setmetatable({}, {__close = function(_, e) log[#log + 1] = name .. "(" .. tostring(e) .. ")" end}) end
local co = coroutine.create(function()
  local a <close> = res("a")
  local b <close> = res("b")
  error("boom", 0)
end)
print(coroutine.resume(co))
print(coroutine.status(co), #log, table.concat(log, " "))
print(coroutine.close(co))
print(coroutine.status(co), #log, table.concat(log, " "))
log = {}
local w = coroutine.wrap(function()
  local c <close> = res("c")
  error("wrapped boom", 0)
end)
print(pcall(w))
print(#log, table.concat(log, " "))
log = {}
local inner = coroutine.create(function()
  local d <close> = res("d")
  local ok, e = pcall(function()
    local e2 <close> = res("e")
    error("caught inside", 0)
  end)
  log[#log + 1] = "pcall returned " .. tostring(e)
  error("then uncaught", 0)
end)
print(coroutine.resume(inner))
print(table.concat(log, " "))
print(coroutine.close(inner))
print(table.concat(log, " "))
