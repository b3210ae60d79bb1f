-- local scope and shadowing
local x = 1
print(x)
do
  local x = 2
  print(x)
  do local x = x + 1; print(x) end
  print(x)
end
print(x)
local x = x * 10
print(x)
local a, b, c = 1, 2
print(a, b, c)
local d, e = (function() return 1, 2, 3 end)()
print(d, e)
local function f() return x end
x = 99
print(f())
local y = 5
local function g() local y = y + 1; return y end
print(g(), y)
for i = 1, 2 do local i = i * 100; io.write(i, " ") end
print()
local s = "outer"
if true then local s = "inner" end
print(s)
local t = {}
local t = {t}
print(#t, type(t[1]))
