-- the order table.sort leaves equal elements in (unspecified by the manual, but scripts
-- that sort with ties print it; lua5.4's quicksort is deterministic below 100 elements)
local recs = {}
for i = 1, 90 do recs[i] = {id = i, key = (i * 37) % 5} end
table.sort(recs, function(a, b) return a.key < b.key end)
local ids = {}
for i, r in ipairs(recs) do ids[i] = r.id end
print(table.concat(ids, " "))
local words = {"pear", "fig", "apple", "kiwi", "plum", "date", "lime", "nut", "yam", "pea"}
table.sort(words, function(a, b) return #a < #b end)
print(table.concat(words, " "))
local nums = {}
for i = 1, 60 do nums[i] = (i * 7919) % 13 end
local idx = {}
for i = 1, 60 do idx[i] = i end
table.sort(idx, function(a, b) return nums[a] > nums[b] end)
print(table.concat(idx, ","))
