-- while, break in nested loops
local i, found = 0, nil
while true do
  i = i + 1
  if i * i > 50 then found = i; break end
end
print(found)
local pairs_found = 0
for a = 1, 10 do
  for b = 1, 10 do
    if b > a then break end
    if (a + b) % 7 == 0 then pairs_found = pairs_found + 1 end
  end
end
print(pairs_found)
local n = 0
while n < 3 do n = n + 1 end
print(n)
local k = 10
while k > 0 do k = k - 3 end
print(k)
repeat break until false
print("after repeat-break")
for i = 1, 3 do
  while true do break end
  io.write(i, " ")
end
print()
