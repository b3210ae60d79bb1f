-- string.gmatch iterates over matches
local words = {}
for w in string.gmatch("one two  three", "%a+") do words[#words + 1] = w end
print(#words, table.concat(words, "|"))
for k, v in string.gmatch("a=1, b=2, c=3", "(%w+)=(%w+)") do io.write(k, "->", v, ";") end
print()
for pos, c in ("abc"):gmatch("()(.)") do io.write(pos, c, " ") end
print()
local n = 0
for e in ("aaa"):gmatch("a*") do n = n + 1; io.write("[", e, "]") end
print(" ", n)
for e in ("abc"):gmatch("") do io.write("<", e, ">") end
print()
for x in ("hello"):gmatch("^h") do io.write("anchored:", x) end
print()
for w in ("one two three"):gmatch("%a+", 5) do io.write(w, ",") end
print()
for w in ("one two three"):gmatch("%a+", -5) do io.write(w, ",") end
print()
local it = ("x1y2"):gmatch("%d")
print(it(), it(), it())
for a, b in ("key = value"):gmatch("(%w+)%s*=%s*(%w+)") do print(a, b) end
