-- __lt/__le between a table and a number or string; __eq never for mixed types
local mt = {
  __lt = function(a, b) return (type(a) == "table" and a.v or a) < (type(b) == "table" and b.v or b) end,
  __le = function(a, b) return (type(a) == "table" and a.v or a) <= (type(b) == "table" and b.v or b) end,
  __eq = function() return true end,
}
local x = setmetatable({v = 5}, mt)
print(x < 6, 4 < x, x <= 5, 5 >= x, x > 4, x >= 6)
print(x == 5, 5 == x, x ~= 5)
local s = setmetatable({v = "m"}, mt)
print(s < "z", "a" < s, s <= "m")
print(pcall(function() return x < "str" end))
local other = setmetatable({v = 1}, {__lt = function() return false end})
print(x < other, other < x)
