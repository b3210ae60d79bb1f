-- many coroutines alive at once, and coroutines resuming coroutines
local cos = {}
for i = 1, 200 do
  cos[i] = coroutine.create(function(x) local y = coroutine.yield(x * 2); return x + y end)
end
local s1, s2 = 0, 0
for i = 1, 200 do local _, v = coroutine.resume(cos[i], i); s1 = s1 + v end
for i = 1, 200 do local _, v = coroutine.resume(cos[i], 1); s2 = s2 + v end
print(s1, s2)
local function chain(n)
  if n == 0 then return coroutine.yield("bottom") end
  local co = coroutine.create(chain)
  local ok, v = coroutine.resume(co, n - 1)
  return v .. "<" .. n
end
local top = coroutine.create(chain)
print(coroutine.resume(top, 10))
print(coroutine.resume(top, "resumed"))
