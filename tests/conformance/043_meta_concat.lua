-- __concat is called when an operand is not a string or number
local mt = {__concat = function(a, b)
  local function s(x) return type(x) == "table" and ("<" .. x.name .. ">") or tostring(x) end
  return s(a) .. s(b)
end}
local o = setmetatable({name = "o"}, mt)
print(o .. "x", "x" .. o, 1 .. o, o .. 2.5)
print("a" .. "b" .. o .. "c")
print(o .. o)
local r = setmetatable({}, {__concat = function(a, b) return {n = (type(a) == "table" and 1 or 0) + (type(b) == "table" and 1 or 0)} end})
print(("x" .. r).n, (r .. r).n)
print(pcall(function() return o .. nil end))
print(pcall(function() return true .. o end))
