-- metamethod results: truncated to one value (except __call), converted to booleans for comparisons
local mt = {
  __index = function() return "first", "second" end,
  __call = function() return "c1", "c2", "c3" end,
  __add = function() return "sum", "extra" end,
  __concat = function() return "cat", "extra" end,
  __len = function() return 5, 6 end,
  __unm = function() return nil, "ignored" end,
  __eq = function() return nil, true end,
  __lt = function() return 0, false end,
  __le = function() return false, true end,
}
local a, b = setmetatable({}, mt), setmetatable({}, mt)
print(a.x)
print(select("#", a.x), select("#", a()), a())
print(a + 1, a .. "s", #a, -a)
print(select("#", a + 1), select("#", -a))
print(a == b, a < b, a <= b, a > b, a >= b, a ~= b)
local t = {a.x, a + 1, a()}
print(#t, t[1], t[2], t[3], t[5])
