-- table.sort with a Lua comparator: the exact sequence of comparisons, the order of
-- equal elements (the sort is not stable), inconsistent comparators, errors raised
-- midway (the partial order left behind) and error levels.
local seed = 7
local function rnd() seed = (seed * 1103515245 + 12345) % 2147483648; return seed end

-- every comparison of a small sort, in order
local log = {}
local t = {5, 3, 8, 1, 9, 2, 7, 4, 6, 0, 5, 3}
table.sort(t, function(a, b) log[#log + 1] = a .. "<" .. b; return a < b end)
print(#log, table.concat(log, " "))
print(table.concat(t, ","))

-- records with ties: which of the equal ones ends where
local recs = {}
for i = 1, 400 do recs[i] = {key = rnd() % 20, id = i} end
local n = 0
table.sort(recs, function(a, b) n = n + 1; return a.key < b.key end)
local ids = {}
for i = 1, 400, 13 do ids[#ids + 1] = recs[i].key .. "/" .. recs[i].id end
print(n, table.concat(ids, " "))

-- comparator results that are not booleans
local vals = {}
for i = 1, 150 do vals[i] = rnd() % 1000 end
table.sort(vals, function(a, b) if a > b then return 1, false end return nil end)
print(vals[1], vals[75], vals[150])
table.sort(vals, function(a, b) return a < b and "" or false end)
print(vals[1], vals[75], vals[150])

-- an inconsistent comparator: the error, and the order left in the table
local bad = {}
for i = 1, 120 do bad[i] = (i * 37) % 120 end
print(pcall(table.sort, bad, function(a, b) return true end))
print(table.concat(bad, ",", 1, 30))
local bad2 = {}
for i = 1, 120 do bad2[i] = (i * 37) % 120 end
print(pcall(function() table.sort(bad2, function(a, b) return a <= b end) end))
print(table.concat(bad2, ",", 1, 30))

-- an error after some comparisons: the partial order is what lua5.4 leaves
local part = {}
for i = 1, 300 do part[i] = rnd() % 500 end
local calls = 0
local ok, e = pcall(table.sort, part, function(a, b)
  calls = calls + 1
  if calls == 777 then error("stop at " .. calls) end
  return a < b
end)
print(ok, e, calls)
print(table.concat(part, ",", 1, 40))
print(table.concat(part, ",", 261, 300))

-- error levels from inside the comparator
print(pcall(function() table.sort({3, 2, 1}, function(a, b) error("level1") end) end))
print(pcall(function() table.sort({3, 2, 1}, function(a, b) error("level2", 2) end) end))
print(pcall(function() table.sort({3, 2, 1}, function(a, b) error("level3", 3) end) end))
print(pcall(function() table.sort({3, 2, 1}, function(a, b) return a.x < b end) end))
print(pcall(table.sort, {1, "x", 2}))
print(pcall(table.sort, {1, 2, 3}, 42))

-- a table with metamethods takes the generic path; both must agree
local backing = {}
for i = 1, 60 do backing[i] = rnd() % 100 end
local reads = 0
local proxy = setmetatable({}, {
  __index = function(_, k) reads = reads + 1; return backing[k] end,
  __newindex = function(_, k, v) backing[k] = v end,
  __len = function() return #backing end,
})
local cmp = 0
table.sort(proxy, function(a, b) cmp = cmp + 1; return a > b end)
print(cmp, reads, table.concat(backing, ",", 1, 20))

-- sizes around the pivot rule (100 elements) and two/three elements
for _, size in ipairs({2, 3, 4, 99, 100, 101, 1000}) do
  local s = {}
  for i = 1, size do s[i] = rnd() % 97 end
  local c = 0
  table.sort(s, function(a, b) c = c + 1; return a < b end)
  local sorted = true
  for i = 2, size do if s[i - 1] > s[i] then sorted = false end end
  print(size, c, sorted, s[1], s[size])
end
