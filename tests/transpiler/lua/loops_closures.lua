-- fresh binding per iteration
local fs = {}
for i = 1, 3 do fs[#fs + 1] = function() return i end end
for _, k in ipairs({"a", "b"}) do fs[#fs + 1] = function() return k end end
local j = 0
while j < 3 do
  j = j + 1
  local v = j * 10
  fs[#fs + 1] = function() v = v + 1; return v end
end
repeat
  local r = "rep"
  fs[#fs + 1] = function() return r end
until true
for idx = 1, #fs do io.write(tostring(fs[idx]()), " ") end
print()
-- same closure called twice keeps its own cell
print(fs[6](), fs[6](), fs[7]())
-- local function in a loop capturing itself
local gs = {}
for i = 1, 2 do
  local function g(n) if n == 0 then return i end return g(n - 1) end
  gs[i] = g
end
print(gs[1](3), gs[2](3))
-- loop var modified in the body: the body has a copy
for i = 1, 3 do local o = i; i = i * 10; io.write(o, ":", i, " ") end
print()
-- nested loops with break
for i = 1, 3 do
  for k = 1, 3 do
    if k == 2 then break end
    io.write(i, k, " ")
  end
end
print()
local n = 0
while true do n = n + 1; if n > 5 then break end end
print(n)
repeat local z = n; n = n - 1 until z < 3
print(n)
