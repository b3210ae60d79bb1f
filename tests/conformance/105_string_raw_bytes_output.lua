-- non-ASCII bytes are written unchanged
io.write("\0\1\127\128\200\255\n")
print("caf\233", "\xe2\x82\xac", "\u{20AC}")
print(#"\u{20AC}", #"caf\233")
local all = {}
for i = 128, 255 do all[#all + 1] = string.char(i) end
print(table.concat(all))
print(("\255"):rep(3))
print(string.format("%s|%5s|", "\200", "\201"))
io.write(string.char(0), "after nul\n")
