-- yield works inside pcall/xpcall inside a coroutine
local co = coroutine.create(function()
  local ok, v = pcall(function()
    local x = coroutine.yield("from pcall")
    if x == "raise" then error("raised", 0) end
    return x
  end)
  coroutine.yield("pcall result: " .. tostring(ok) .. " " .. tostring(v))
  local ok2, v2 = pcall(function()
    coroutine.yield("again")
    error("after yield", 0)
  end)
  coroutine.yield("second: " .. tostring(ok2) .. " " .. tostring(v2))
  local ok3, v3 = xpcall(function() return coroutine.yield("in xpcall") * 2 end, function(m) return "H" .. m end)
  return ok3, v3
end)
print(coroutine.resume(co))
print(coroutine.resume(co, "value"))
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.resume(co, 21))
print(coroutine.status(co))
