-- iterators that are coroutines, with state and several values per step
local function pairs_sorted(t)
  return coroutine.wrap(function()
    local keys = {}
    for k in pairs(t) do keys[#keys + 1] = k end
    table.sort(keys)
    for _, k in ipairs(keys) do coroutine.yield(k, t[k]) end
  end)
end
for k, v in pairs_sorted({c = 3, a = 1, b = 2}) do print(k, v) end
local function tokens(s)
  return coroutine.wrap(function()
    for num in s:gmatch("%d+") do coroutine.yield(tonumber(num)) end
  end)
end
local total = 0
for n in tokens("10 apples, 20 pears and 12 plums") do total = total + n end
print(total)
local gen = coroutine.wrap(function() coroutine.yield(1) end)
print(gen(), gen())
print(pcall(gen))
