-- other goto forms: leaving nested loops, backward jumps, labels at block end
for i = 1, 3 do
  for j = 1, 3 do
    if i * j == 4 then
      print("found", i, j)
      goto done
    end
  end
end
::done::
local n = 0
::again::
n = n + 1
if n < 5 then goto again end
print("n =", n)
do
  local k = 0
  ::top::
  k = k + 1
  if k < 3 then goto top end
  print("k =", k)
end
local fs = {}
do
  local x = 0
  ::loop::
  local y = x
  fs[#fs + 1] = function() return y end
  x = x + 1
  if x < 3 then goto loop end
end
print(fs[1](), fs[2](), fs[3]())
local function f(v)
  if v then goto yes end
  do return "no" end
  ::yes::
  return "yes"
end
print(f(true), f(false))
print(load("goto l; local x; ::l:: print(x)"))
print(load("do goto l end ::l::") ~= nil)
print(load("::l:: do goto l end") ~= nil)
print(load("goto l; local x = 1; ::l::") ~= nil)
