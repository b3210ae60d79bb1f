-- assigning nil (or a new value) to an existing field during traversal is allowed (next)
local t = {}
for i = 1, 50 do t[i] = i end
for i = 1, 50 do t["k" .. i] = i end
local visited, sum = 0, 0
for k, v in pairs(t) do
  visited = visited + 1
  sum = sum + v
  if v % 2 == 0 then t[k] = nil end
end
print(visited, sum)
local left = 0
for k in pairs(t) do left = left + 1 end
print(left)
-- updating existing values while traversing
for k, v in pairs(t) do t[k] = v * 10 end
local s = 0
for k, v in pairs(t) do s = s + v end
print(s)
-- clear the whole table while traversing with next
local k = next(t)
while k ~= nil do
  local nk = next(t, k)
  t[k] = nil
  k = nk
end
print(next(t))
-- ipairs sees changes made during the loop
local arr = {1, 2, 3, 4, 5}
local seen = {}
for i, v in ipairs(arr) do
  seen[#seen + 1] = v
  if i == 2 then arr[4] = nil end
end
print(table.concat(seen, ","))
