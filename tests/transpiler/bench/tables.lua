local t = {}
for i = 1, 200000 do t[i] = i * 2 end
local sum = 0
for i, v in ipairs(t) do sum = sum + v end
local h = {}
for i = 1, 100000 do h["k" .. (i % 1000)] = (h["k" .. (i % 1000)] or 0) + i end
local cnt = 0
for k, v in pairs(h) do cnt = cnt + 1 end
table.sort(t, function(a, b) return a > b end)
print(sum, cnt, t[1])
