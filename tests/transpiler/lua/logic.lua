print(nil and 1, false and 1, 0 and 1, "" and 1)
print(nil or 1, false or nil, 0 or 1, nil or false)
print(not nil, not 0, not not "x", not false)
local t = {}
print(t.x and t.x.y, t.x or "default")
local function f() return false, 1 end
print(f() or "x", (f()) and 1 or 2)
local a, b = 5, 10
print(a < b and "lt" or "ge", a > b and "gt" or "le")
print(1 == 1.0, "1" == 1, 0 == false, nil == false, 1 == true, 0 == -0)
print(1 ~= 1.0, "a" ~= "a", {} ~= {}, t == t)
print(1 < 2, 1 <= 1.0, "a" < "b", "Z" < "a", "abc" < "abd", "" < "a", "a\0b" < "a\0c")
print(2^53 == 2^53 + 1, math.maxinteger + 0.0 == math.maxinteger)
print(math.maxinteger < math.maxinteger + 0.0, math.mininteger <= -2^63)
local n = nil
if n then print("yes") elseif n == nil then print("nil") else print("no") end
if 0 then print("0 is true") end
if "" then print("empty string is true") end
local x = 3
while x and x > 0 do x = x - 1 end
print(x)
print(1 and nil, nil and nil, false or false)
local v = (nil)
print(v == nil)
print(pcall(function() return 1 < "2" end))
print(pcall(function() return {} < {} end))
print(pcall(function() return nil > 1 end))
print(true == 1, false == 0, 1 == 1, 0 == 0.0)
