-- string.sub index rules
local s = "hello world"
print(s:sub(1, 5), s:sub(7), s:sub(-5), s:sub(-5, -2))
print(s:sub(0), s:sub(0, 0) == "", s:sub(5, 4) == "", s:sub(100) == "")
print(s:sub(-100, 3), s:sub(3, -100) == "", s:sub(-3, 100))
print(s:sub(math.mininteger, math.maxinteger) == s, s:sub(math.maxinteger) == "")
print(s:sub(2, 2), s:sub(-1, -1), s:sub(1, -1) == s)
print(("abc"):sub(2.0, 3), pcall(string.sub, "abc", 1.5))
print(string.sub("abc", "2"), pcall(string.sub, "abc", "x"))
print(("\0\1\2"):sub(2):byte(1, -1))
