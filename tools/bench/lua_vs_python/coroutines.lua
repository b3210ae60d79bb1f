-- Coroutines: generators via wrap, producer/consumer with resume/yield, many live threads.
local scale = tonumber(arg and arg[1]) or 1
local n = math.floor(2000000 * scale)
local gen = coroutine.wrap(function()
  for i = 1, n do coroutine.yield(i) end
  return nil
end)
local s = 0
for v in gen do s = s + v end
local producer = coroutine.create(function()
  for i = 1, n do coroutine.yield(i % 7, "item") end
end)
local got = 0
while true do
  local ok, v = coroutine.resume(producer)
  if not v then break end
  got = got + v
end
local threads = {}
for i = 1, math.floor(12000 * scale) do
  threads[i] = coroutine.create(function(a)
    local total = a
    for _ = 1, 20 do total = total + coroutine.yield(total) end
    return total
  end)
end
local live, sum = #threads, 0
for i = 1, #threads do local _, v = coroutine.resume(threads[i], i); sum = sum + v end
for round = 1, 20 do
  for i = 1, #threads do
    local _, v = coroutine.resume(threads[i], round)
    sum = sum + v
  end
end
print(s, got, live, sum, coroutine.status(threads[1]))
