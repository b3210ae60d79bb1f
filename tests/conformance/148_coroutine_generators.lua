-- generators built on coroutine.wrap
local function range(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
local s = 0
for i in range(10) do s = s + i end
print(s)
local function permgen(a, n)
  n = n or #a
  if n <= 1 then coroutine.yield(a)
  else
    for i = 1, n do
      a[n], a[i] = a[i], a[n]
      permgen(a, n - 1)
      a[n], a[i] = a[i], a[n]
    end
  end
end
local function permutations(a)
  return coroutine.wrap(function() permgen(a) end)
end
local out = {}
for p in permutations({"a", "b", "c"}) do out[#out + 1] = table.concat(p) end
print(#out, table.concat(out, " "))
local function filter(pred, gen)
  return coroutine.wrap(function() for v in gen do if pred(v) then coroutine.yield(v) end end end)
end
local evens = {}
for v in filter(function(x) return x % 2 == 0 end, range(20)) do evens[#evens + 1] = v end
print(table.concat(evens, ","))
local function fib_gen()
  return coroutine.wrap(function()
    local a, b = 0, 1
    while true do coroutine.yield(a); a, b = b, a + b end
  end)
end
local g = fib_gen()
local fibs = {}
for i = 1, 15 do fibs[i] = g() end
print(table.concat(fibs, " "))
local producer = coroutine.create(function()
  for _, item in ipairs({"x", "y", "z"}) do coroutine.yield(item) end
  return nil
end)
while true do
  local ok, item = coroutine.resume(producer)
  if not item then break end
  io.write(item, ";")
end
print(coroutine.status(producer))
