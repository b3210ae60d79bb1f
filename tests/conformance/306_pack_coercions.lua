-- string.pack coerces strings and numbers like the rest of the library; float precision
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
print(hex(string.pack("<d", "1.5")), hex(string.pack("z", 42)), hex(string.pack("s1", 1.5)), hex(string.pack("<n", 3)))
print(string.unpack("<f", string.pack("<f", 1/3)), string.unpack("<f", string.pack("<f", 1e39)))
print(hex(string.pack("<j", 3.0)), pcall(string.pack, "<j", "3.5"))
print(hex(string.pack("<i4", "0x10")), hex(string.pack("B", "255")))
print(string.unpack("<I8", string.pack("<j", -1)), string.unpack("<i8", "\255\255\255\255\255\255\255\127"))
print(pcall(string.unpack, "<I9", ("\255"):rep(9)))
print(string.unpack(">I9", "\0" .. ("\255"):rep(8)))
