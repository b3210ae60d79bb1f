-- goto continue idiom
for i = 1, 6 do
  if i % 2 == 0 then goto continue end
  io.write(i, " ")
  ::continue::
end
print()
local i = 0
while i < 5 do
  i = i + 1
  if i == 3 then goto skip end
  io.write(i, " ")
  ::skip::
end
print()
for _, w in ipairs({"a", "", "b", "", "c"}) do
  if w == "" then goto next_word end
  do
    local up = w:upper()
    io.write(up)
  end
  ::next_word::
end
print()
local j = 0
repeat
  j = j + 1
  if j == 2 then goto cont end
  io.write(j, " ")
  ::cont::
until j >= 4
print()
