-- s:method() goes through the string metatable
local s = "Hello"
print(s:upper(), s:lower(), s:len(), s:rep(2), s:sub(2, 3), s:byte(1))
print(("%d+%d"):format(1, 2), ("a,b"):find(","), ("x"):reverse())
print(#s, s:upper():lower():upper())
local mt = getmetatable("")
print(type(mt), mt.__index == string)
string.shout = function(self) return self:upper() .. "!" end
print(("hey"):shout())
string.shout = nil
print(pcall(function() return ("hey"):shout() end))
local n = 42
print(pcall(function() return n:len() end))
print(("abc"):gsub("b", "B"):upper())
for c in ("xyz"):gmatch(".") do io.write(c:upper()) end
print()
local str = "key"
print(str:match("k(.)y"), str:find("e", 1, true))
