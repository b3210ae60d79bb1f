-- Table work: array insert/remove, sort with and without comparator, hash tables.
local scale = tonumber(arg and arg[1]) or 1
local n = math.floor(600000 * scale)
local seed = 42
local function rnd() seed = (seed * 1103515245 + 12345) % 2147483648; return seed end
local arr = {}
for i = 1, n do arr[#arr + 1] = rnd() % 1000000 end
table.sort(arr)
local desc = {}
for i = 1, n // 2 do desc[i] = arr[i] end
table.sort(desc, function(a, b) return a > b end)
local hash = {}
for i = 1, n do
  local k = "k" .. (arr[i] % 5000)
  hash[k] = (hash[k] or 0) + 1
end
local distinct = 0
for _, v in pairs(hash) do distinct = distinct + v end
local q = {}
for i = 1, n // 10 do table.insert(q, i) end
local popped = 0
while #q > 0 do popped = popped + table.remove(q) end
local front = {}
for i = 1, 2000 do table.insert(front, 1, i) end
for i = 1, 1000 do table.remove(front, 1) end
local grid = {}
for i = 1, 200 do
  local row = {}
  for j = 1, 200 do row[j] = i * j end
  grid[i] = row
end
local gsum = 0
for i = 1, 200 do for j = 1, 200 do gsum = gsum + grid[j][i] end end
print(arr[1], arr[n], desc[1], distinct, popped, #front, front[1], gsum)
