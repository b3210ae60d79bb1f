-- coroutine.running and coroutine.isyieldable
local co, ismain = coroutine.running()
print(type(co), ismain, coroutine.isyieldable())
local c = coroutine.create(function()
  local me, m = coroutine.running()
  print(type(me), m, coroutine.isyieldable())
  return me
end)
local ok, me = coroutine.resume(c)
print(ok, me == c)
print(coroutine.isyieldable(c), coroutine.isyieldable(co))
print(pcall(coroutine.yield, 1))
