-- strings and numbers are never equal and do not compare with < across types
print("10" < "9", 10 < 9, "10" == "10.0", 10 == 10.0)
print(tostring(10) == "10", tonumber("10") == 10)
local t = {}
t["1"] = "string one"; t[1] = "number one"
print(t["1"], t[1])
print(#t, t[1.0])
print(("10" + 0) < 9, pcall(function() return "10" < 9 end))
