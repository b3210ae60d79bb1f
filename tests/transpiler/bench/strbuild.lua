local parts = {}
for i = 1, 200000 do
  parts[#parts + 1] = "item" .. i
end
local s = table.concat(parts, ",")
local acc = ""
for i = 1, 20000 do acc = acc .. string.char(65 + i % 26) end
print(#s, #acc)
