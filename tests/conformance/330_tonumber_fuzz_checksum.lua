-- tonumber (with and without a base) and string arithmetic on random numeric-looking
-- strings, folded into a checksum
local seed = 2718
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
local function h(acc, v)
  local s = tostring(v) .. "/" .. tostring(math.type(v))
  for i = 1, #s do acc = (acc * 269 + s:byte(i)) % 2147483629 end
  return acc
end
local pieces = {" ", "0x", "0X", "1", "9", "0", ".", "e", "E", "-", "+", "p", "P", "a", "f", "F", "\t", "\n", "z", "7", "12", "ff", "inf", "nan", "_", "\0", "\v"}
local acc, nums = 0, 0
for _ = 1, 5000 do
  local t = {}
  for i = 1, rnd(6) + 1 do t[i] = pieces[rnd(#pieces) + 1] end
  local s = table.concat(t)
  local v = tonumber(s)
  if v then nums = nums + 1 end
  acc = h(acc, v)
  local base = rnd(35) + 2
  acc = h(acc, tonumber(s, base))
  local ok, r = pcall(function() return s + 0 end)
  acc = h(acc, ok and r or "err")
  local ok2, r2 = pcall(function() return s // 1 end)
  acc = h(acc, ok2 and r2 or "err")
  acc = h(acc, math.tointeger(s))
end
print(nums, acc)
