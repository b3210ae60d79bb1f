-- () captures positions
print(("hello"):match("()ll()"))
print(("hello"):find("()ll()"))
print(("abc"):gsub("()", "%1"))
print(("abc"):match("()$"))
print(("a b c"):gsub("() ", function(p) return "[" .. p .. "]" end))
local positions = {}
for p in ("banana"):gmatch("()an") do positions[#positions + 1] = p end
print(table.concat(positions, ","))
print(math.type(("x"):match("()")))
print(("abc"):find("b()"))
