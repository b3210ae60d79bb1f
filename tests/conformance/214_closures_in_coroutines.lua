-- closures created inside coroutines keep their upvalues after the coroutine dies
local makers = {}
local co = coroutine.wrap(function()
  for i = 1, 3 do
    local captured = i * 10
    makers[i] = function() captured = captured + 1; return captured end
    coroutine.yield(i)
  end
end)
print(co(), co(), co())
print(makers[1](), makers[1](), makers[2](), makers[3]())
local function gen_counter()
  local count = 0
  return coroutine.wrap(function()
    while true do count = count + 1; coroutine.yield(count) end
  end), function() return count end
end
local step, peek = gen_counter()
step(); step(); step()
print(peek())
local shared = 0
local c1 = coroutine.wrap(function() for i = 1, 3 do shared = shared + 1; coroutine.yield() end end)
local c2 = coroutine.wrap(function() for i = 1, 3 do shared = shared * 2; coroutine.yield() end end)
for i = 1, 3 do c1(); c2() end
print(shared)
