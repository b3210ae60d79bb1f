-- String building: concatenation in loops, string.format, table.concat, rep/sub/upper.
local scale = tonumber(arg and arg[1]) or 1
local n = math.floor(400000 * scale)
local parts = {}
for i = 1, n do
  parts[#parts + 1] = string.format("%d:%s;", i, (i % 7 == 0) and "seven" or "x")
end
local joined = table.concat(parts)
local total = 0
for round = 1, math.floor(40 * scale) do
  local s = ""
  for i = 1, 500 do s = s .. (i % 10) end
  total = total + #s
  local u = s:rep(3):upper():sub(10, -10)
  total = total + #u
end
local words = {}
for i = 1, n // 4 do words[#words + 1] = ("w" .. i):reverse() .. tostring(i * 0.5) end
local line = table.concat(words, " ")
print(#joined, total, #line, joined:sub(1, 20), line:sub(-12))
