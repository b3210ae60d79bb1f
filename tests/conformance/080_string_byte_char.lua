-- string.byte and string.char
print(string.byte("A"), string.byte("abc", 2), string.byte("abc", 1, 3))
print(string.byte("abc", -1), string.byte("abc", -2, -1), string.byte("abc", 10))
print(select("#", string.byte("abc", 3, 2)), select("#", string.byte("")))
print(string.byte("\0\255\128"), ("xyz"):byte(1, -1))
print(string.char(72, 105), string.char(), #string.char(0, 0))
print(string.char(255):byte(), string.char(228, 246, 252) == "\228\246\252")
print(pcall(string.char, 256))
print(pcall(string.char, -1))
print(pcall(string.char, "65"), pcall(string.char, 65.0))
print(pcall(string.char, 65.5))
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
local s = table.concat(all)
print(#s, s:byte(1), s:byte(256), s:byte(-1))
local sum = 0
for i = 1, #s do sum = sum + s:byte(i) end
print(sum)
print(string.byte("abc", 0), string.byte("abc", -10, 2))
