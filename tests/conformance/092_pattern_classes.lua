-- character classes over all 256 byte values (C locale)
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
all = table.concat(all)
for _, cls in ipairs({"a", "c", "d", "g", "l", "p", "s", "u", "w", "x"}) do
  local _, n = all:gsub("%" .. cls, "")
  local _, m = all:gsub("%" .. cls:upper(), "")
  local first = all:match("%" .. cls)
  print(cls, n, m, first and first:byte())
end
local _, dots = all:gsub(".", "")
print("dot", dots)
print(("a1_B2-c3"):gsub("%W", "#"))
print(("tab\tnl\nsp end"):gsub("%s", "_"))
print(("x%y"):gsub("%%", "pct"))
print(("a.b"):gsub("%.", "!"), ("a.b"):gsub("%p", "!"))
