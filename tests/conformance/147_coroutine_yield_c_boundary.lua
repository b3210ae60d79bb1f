-- lua5.4 cannot yield across table.sort comparators or string.gsub callbacks (C calls)
local co = coroutine.create(function()
  local t = {3, 1, 2}
  table.sort(t, function(x, y) coroutine.yield("cmp") return x < y end)
  return table.concat(t, ",")
end)
print(coroutine.resume(co))
print(coroutine.status(co))
co = coroutine.create(function()
  return (string.gsub("abc", "%w", function(c) return coroutine.yield(c) end))
end)
print(coroutine.resume(co))
local ok, e = pcall(coroutine.wrap(function()
  for w in string.gmatch("a b", "%a") do coroutine.yield(w) end
  return "gmatch loop is fine"
end))
print(ok, e)
-- yielding from a comparator that does not actually yield is of course fine
co = coroutine.wrap(function()
  local t = {3, 1, 2}
  table.sort(t, function(x, y) return x < y end)
  coroutine.yield(table.concat(t, ","))
  return "end"
end)
print(co(), co())
