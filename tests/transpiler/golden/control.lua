-- goto continue, repeat-until scope, while/break, and/or values
local out = {}
for i = 1, 10 do
  if i % 3 == 0 then goto continue end
  out[#out + 1] = i
  ::continue::
end
local n = 0
repeat local done = n >= 3; n = n + 1 until done
while true do
  n = n - 1
  if n < 0 then break end
end
local t = nil
print(table.concat(out, ","), n, t and t.x or "none", not t)
