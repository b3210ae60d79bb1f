-- goto continue
for i = 1, 5 do
  if i % 2 == 0 then goto continue end
  io.write(i, " ")
  ::continue::
end
print()
local i = 0
while i < 6 do
  i = i + 1
  for j = 1, 3 do
    if j == 2 then goto next_i end
    io.write(i, j, " ")
  end
  ::next_i::
end
print()
-- backward goto (retry loop)
local tries = 0
::retry::
tries = tries + 1
if tries < 3 then goto retry end
print("tries", tries)
-- forward goto out of nested loops
for a = 1, 3 do
  for b = 1, 3 do
    if a * b == 4 then goto done end
  end
end
::done::
print("done")
-- goto continue in repeat (label not at end: until sees locals)
local k = 0
repeat
  k = k + 1
  if k == 2 then goto cont end
  io.write(k, " ")
  ::cont::
until k >= 4
print()
-- goto inside nested function bodies
local function find(t, x)
  for idx, v in ipairs(t) do
    if v == x then goto found end
  end
  do return nil end
  ::found::
  return "found"
end
print(find({1, 2, 3}, 2), find({1}, 5))
-- break inside a block with labels
for n = 1, 10 do
  if n == 3 then break end
  goto skip
  print("never")
  ::skip::
  io.write(n, " ")
end
print()
-- closures in a goto loop
local fs = {}
local c = 0
::top::
c = c + 1
local v = c
fs[#fs + 1] = function() return v end
if c < 3 then goto top end
print(fs[1](), fs[2](), fs[3]())
-- goto out of a while into enclosing segment
local m = 0
while true do
  m = m + 1
  if m > 3 then goto out end
end
::out::
print("m", m)
