-- packsize and unpack positions
print(string.packsize("i4"), string.packsize("i8i8"), string.packsize("b h i l j"), string.packsize(""))
print(string.packsize("c10"), string.packsize("d f n"), string.packsize("x"), string.packsize("B i16"))
print(pcall(string.packsize, "s"))
print(pcall(string.packsize, "z"))
local data = string.pack("<i2 i2 i2", 10, 20, 30)
print(string.unpack("<i2", data, 3))
print(string.unpack("<i2", data, -2))
print(string.unpack("<i2 i2", data, 2))
print(pcall(string.unpack, "<i4", data, 5))
print(pcall(string.unpack, "<i2", data, 8))
print(pcall(string.unpack, "<i2", data, 0))
print(string.unpack("", "abc", 4))
print(pcall(string.unpack, "", "abc", 5))
local pos = 1
local vals = {}
local packed = string.pack(">I2 I2 I2 I2", 1, 2, 3, 4)
while pos <= #packed do
  local v
  v, pos = string.unpack(">I2", packed, pos)
  vals[#vals + 1] = v
end
print(table.concat(vals, ","), pos)
print(pcall(string.pack, "i4"))
print(pcall(string.pack, "q", 1))
print(select("#", string.unpack("i1i1i1", "\1\2\3")))
