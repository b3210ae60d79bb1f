-- The comparator's caller as lua5.4 shows it: traceback, error levels, yieldability,
-- library functions as comparators (argument errors name them).
local t = {3, 1, 2}
table.sort(t, function(a, b)
  if a == 3 and b == 1 then print(debug.traceback("tb", 1)) end
  print(coroutine.isyieldable(), select(2, pcall(error, "x", 2)))
  return a < b
end)
local co = coroutine.wrap(function() table.sort({2, 1}, function(a, b) print(coroutine.isyieldable()) return a < b end) end)
co()
print(pcall(table.sort, {1, 2, 3}, string.rep))
print(pcall(function() table.sort({1, 2, 3}, string.rep) end))
print(pcall(function() table.sort({"a", "b"}, math.max) end))
