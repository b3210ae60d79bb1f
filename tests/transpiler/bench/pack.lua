local total = 0
for i = 1, 400000 do
  local s = string.pack(">I2 I4 s1", i % 65536, i, "abc")
  local a, b, c = string.unpack(">I2 I4 s1", s)
  total = total + a + b + #c
end
print(total)
