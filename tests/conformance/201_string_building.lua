-- building strings with .. in loops and with table.concat
local s = ""
for i = 1, 100 do s = s .. i .. "," end
print(#s, s:sub(1, 20), s:sub(-10))
local parts = {}
for i = 1, 100 do parts[#parts + 1] = string.format("%03d", i) end
local joined = table.concat(parts, "")
print(#joined, joined:sub(1, 12), joined:sub(-6))
local b = {}
for c in ("hello world"):gmatch(".") do table.insert(b, 1, c) end
print(table.concat(b))
local big = string.rep("ab", 5000)
print(#big, big:sub(9999))
local n = 0
for _ in big:gmatch("ab") do n = n + 1 end
print(n)
