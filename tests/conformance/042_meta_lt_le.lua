-- __lt and __le; results converted to booleans; no __le fallback in 5.4
local mt = {}
mt.__lt = function(a, b)
  local x = type(a) == "table" and a.v or a
  local y = type(b) == "table" and b.v or b
  return x < y
end
mt.__le = function(a, b)
  local x = type(a) == "table" and a.v or a
  local y = type(b) == "table" and b.v or b
  return x <= y and "yes" or nil
end
local one, two = setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)
print(one < two, two < one, one > two, two > one)
print(one <= two, two <= one, one >= two, two >= one)
print(one < 5, 5 < one, one <= 1, 0 >= one)
local only_lt = setmetatable({v = 1}, {__lt = function() return true end})
print(pcall(function() return only_lt <= only_lt end))
local list = {setmetatable({v = 3}, mt), setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)}
table.sort(list)
print(list[1].v, list[2].v, list[3].v)
