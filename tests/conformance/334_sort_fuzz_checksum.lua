-- table.sort on random arrays (up to 100 elements, below lua5.4's pivot randomisation)
-- with several comparators, ties included; the resulting orders folded into a checksum
local seed = 4711
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
local function h(acc, v)
  local s = tostring(v)
  for i = 1, #s do acc = (acc * 263 + s:byte(i)) % 2147483629 end
  return acc
end
local comparators = {
  false,
  function(a, b) return a.k > b.k end,
  function(a, b) return a.k % 5 < b.k % 5 end,
  function(a, b) return tostring(a.k) < tostring(b.k) end,
  function(a, b) if a.k % 3 ~= b.k % 3 then return a.k % 3 < b.k % 3 end return a.id < b.id end,
}
local acc = 0
for _ = 1, 300 do
  local n = rnd(100) + 1
  local arr, nums = {}, {}
  for i = 1, n do arr[i] = {id = i, k = rnd(30) - 10}; nums[i] = arr[i].k end
  local c = comparators[rnd(#comparators) + 1]
  if c then table.sort(arr, c) else table.sort(nums) end
  for i = 1, n do acc = h(acc, c and arr[i].id or nums[i]) end
end
print(acc)
