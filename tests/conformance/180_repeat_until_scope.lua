-- the condition of repeat-until sees the body's locals (3.3.4)
local i = 0
repeat
  local done = i >= 3
  i = i + 1
until done
print(i)
local n = 10
repeat local n = n - 1; print("inner n", n) until n < 10
local tries = 0
repeat
  tries = tries + 1
  local ok = tries == 2
  if not ok then goto continue end
  print("ok on try", tries)
  ::continue::
until ok
local fs = {}
local k = 0
repeat
  local v = k
  fs[#fs + 1] = function() return v end
  k = k + 1
until v >= 2
print(#fs, fs[1](), fs[3]())
