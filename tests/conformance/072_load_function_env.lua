-- load with a reader function, a custom environment and mode
local parts = {"return ", "10 ", "* ", "4", nil}
local i = 0
local f = load(function() i = i + 1; return parts[i] end)
print(f())
local env = {y = 3}
local g = load("y = y * 2; return y, print", "envchunk", "t", env)
print(g())
print(env.y, y)
print(load("return 1", "c", "b"))
local pieces = {"ret", "urn 'pie", "ces'"}
local j = 0
print(load(function() j = j + 1; return pieces[j] end)())
print(type(load(function() return nil end)))
print(pcall(load, function() return {} end))
local k = load("local a, b = ...; return b, a")
print(k("first", "second"))
local e2 = setmetatable({}, {__index = _G})
load("newglobal = 'inside'", "c", "t", e2)()
print(e2.newglobal, newglobal)
print(load("return _ENV")() == _G, load("return _ENV", "c", "t", env)() == env)
