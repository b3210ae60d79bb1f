-- assert returns all its arguments on success
print(assert(1, 2, 3))
print(assert(true, "unused"))
print(pcall(assert, false))
print(pcall(assert, nil, "custom message"))
print(pcall(assert, false, 42))
local t = {}
local ok, e = pcall(assert, false, t)
print(ok, e == t)
print(pcall(assert))
print(select("#", assert(1, nil, nil)))
print(pcall(function() assert(1 == 2, "math is broken") end))
