-- utf8.codes iterates byte positions and code points
for p, c in utf8.codes("añ€😀") do print(p, c) end
for p, c in utf8.codes("") do print("never") end
print(pcall(function() for p, c in utf8.codes("a\xffb") do end end))
print(pcall(function() for p, c in utf8.codes("\xe2\x82") do end end))
local cps = {}
for _, c in utf8.codes("héllo") do cps[#cps + 1] = c end
print(table.concat(cps, ","))
for p, c in utf8.codes("\xed\xa0\x80", true) do print("lax", p, c) end
