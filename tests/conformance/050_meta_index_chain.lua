-- long __index chains, rawget bypassing them, and the string metatable
local level = {value = "bottom"}
for i = 1, 20 do level = setmetatable({["l" .. i] = i}, {__index = level}) end
print(level.value, level.l1, level.l20, rawget(level, "value"), rawget(level, "l20"))
print(("abc"):upper(), ("%d-%d"):format(1, 2), ("x"):rep(3, ","))
local s = "hello"
print(s:len(), s:sub(2, 3), #s)
print(pcall(function() local n = 5; return n:foo() end))
print(("abc").len == string.len, ("abc").nonexistent)
