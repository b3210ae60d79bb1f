-- utf8.char and utf8.charpattern
print(utf8.char(72, 228, 8364, 128512))
print(#utf8.char(0x7F), #utf8.char(0x80), #utf8.char(0x7FF), #utf8.char(0x800), #utf8.char(0xFFFF), #utf8.char(0x10000))
print(utf8.char(0x10FFFF):byte(1, -1))
print(utf8.char(0x7FFFFFFF):byte(1, -1))
print(utf8.char(), utf8.char(65))
print(pcall(utf8.char, -1))
print(pcall(utf8.char, 0x80000000))
print(utf8.charpattern == "[\0-\x7F\xC2-\xFD][\x80-\xBF]*")
local n = 0
for c in ("añ€😀"):gmatch(utf8.charpattern) do n = n + 1; io.write(#c, " ") end
print(n)
