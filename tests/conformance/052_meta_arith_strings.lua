-- a non-numeric string operand falls through to the other operand's metamethod
local t = setmetatable({}, {
  __add = function(a, b) return "add(" .. type(a) .. "," .. type(b) .. ")" end,
  __concat = function(a, b) return "cat" end,
  __unm = function(a) return "neg" end,
  __len = function() return 7 end,
})
print("abc" + t, t + "abc", "10" + t)
print("x" .. t, -t, #t)
print(pcall(function() return "abc" + {} end))
