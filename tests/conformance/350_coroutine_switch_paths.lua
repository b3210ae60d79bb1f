-- Resume/yield paths: resume, wrap, status seen from inside and outside, values in
-- both directions, yields from one frame repeatedly and from nested frames, errors.
local function show(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) end
  return t.n .. ":" .. table.concat(t, ",")
end

-- values both ways, zero, one and many
local co = coroutine.create(function(a, b, ...)
  print("start", a, b, select("#", ...))
  local x = coroutine.yield()
  print("got", show(x))
  local p, q, r = coroutine.yield(1)
  print("got", show(p, q, r))
  local t = {coroutine.yield(nil, nil)}
  print("got", #t)
  coroutine.yield(1, nil, 3, nil)
  return "done", nil
end)
print(show(coroutine.resume(co, "a", nil, 1, 2, nil)))
print(show(coroutine.resume(co)))
print(show(coroutine.resume(co, 5, 6, 7)))
print(show(coroutine.resume(co, 8)))
print(show(coroutine.resume(co, 9, 10)))
print(show(coroutine.resume(co)))
print(show(coroutine.resume(co)))
print(coroutine.status(co))

-- status from inside: running, and the resumer is normal
local outer
local inner = coroutine.create(function()
  print("inner sees outer", coroutine.status(outer))
  coroutine.yield()
end)
outer = coroutine.create(function()
  print("outer sees itself", coroutine.status(outer))
  coroutine.resume(inner)
  print("after inner", coroutine.status(inner))
  coroutine.yield("o")
end)
print(show(coroutine.resume(outer)))
print(coroutine.status(outer), coroutine.status(inner))
print(show(coroutine.resume(outer)))
print(coroutine.status(outer))

-- a generator yields many times from one frame, then from a nested function
local gen = coroutine.wrap(function()
  for i = 1, 5 do coroutine.yield(i) end
  local function deep(n) if n == 0 then coroutine.yield("deep") else deep(n - 1) end end
  deep(3)
  for i = 6, 8 do coroutine.yield(i) end
  deep(0)
end)
local got = {}
for v in gen do got[#got + 1] = tostring(v) end
print(table.concat(got, " "))

-- the same frame yields, then yields inside a sort comparator (refused), then again
local co2 = coroutine.create(function()
  for round = 1, 3 do
    coroutine.yield(round)
    if round == 2 then
      local ok, e = pcall(table.sort, {3, 1, 2}, function(a, b) coroutine.yield("x"); return a < b end)
      print("sort", ok, e)
      local ok2, e2 = pcall(string.gsub, "ab", ".", function(c) coroutine.yield(c) end)
      print("gsub", ok2, e2)
    end
  end
  return "end"
end)
for _ = 1, 5 do print(show(coroutine.resume(co2))) end

-- yield across pcall, with an error after resuming
local co3 = coroutine.create(function()
  local ok, e = pcall(function()
    local v = coroutine.yield("in pcall")
    error("boom " .. v)
  end)
  print("pcall", ok, e)
  local ok2, e2 = pcall(function() coroutine.yield("again") ; error({code = 7}) end)
  print("pcall2", ok2, type(e2), e2.code)
  error("final")
end)
print(show(coroutine.resume(co3)))
print(show(coroutine.resume(co3, "v")))
print(show(coroutine.resume(co3)))
print(coroutine.status(co3), show(coroutine.resume(co3)))

-- wrap: errors propagate with position, dead wrap
local w = coroutine.wrap(function() coroutine.yield(1); error("werr") end)
print(w())
print(pcall(w))
print(pcall(w))
local w2 = coroutine.wrap(function() error({}) end)
local okw, ew = pcall(w2); print(okw, type(ew))

-- resume errors
print(pcall(coroutine.resume, nil))
print(pcall(coroutine.resume, {}))
print(coroutine.resume(coroutine.running()))
print(pcall(coroutine.yield, 1))
print(coroutine.isyieldable())
local co4 = coroutine.create(function() return coroutine.isyieldable(), coroutine.running() ~= nil end)
print(coroutine.resume(co4))

-- close a suspended coroutine with a pending to-be-closed value, and one dead by error
local co5 = coroutine.create(function()
  local x <close> = setmetatable({}, {__close = function() print("closed x") end})
  coroutine.yield(1)
end)
coroutine.resume(co5)
print(coroutine.close(co5), coroutine.status(co5))
local co6 = coroutine.create(function() error("e6") end)
print(coroutine.resume(co6))
print(coroutine.close(co6))

-- many live coroutines resumed in turns (each yields from its own frame)
local threads, sum = {}, 0
for i = 1, 50 do
  threads[i] = coroutine.create(function(a)
    local total = a
    for _ = 1, 4 do total = total + coroutine.yield(total) end
    return total
  end)
end
for round = 0, 4 do
  for i = 1, #threads do
    local ok, v = coroutine.resume(threads[i], round == 0 and i or round)
    sum = sum + v
  end
end
print(sum, coroutine.status(threads[1]), coroutine.resume(threads[1]))

-- a coroutine resumed from inside another, values through both
local a = coroutine.wrap(function(x)
  local b = coroutine.wrap(function(y)
    while true do y = coroutine.yield(y * 2) end
  end)
  while true do x = coroutine.yield(b(x) + 1) end
end)
print(a(1), a(2), a(3))
