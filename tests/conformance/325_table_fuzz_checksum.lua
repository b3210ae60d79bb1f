-- random table operations (integer, float, string and boolean keys; nil stores; length;
-- traversal) folded into a checksum; keys are collected and sorted, so hash order is irrelevant
local seed = 31337
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
local function h(acc, v)
  local s = tostring(v)
  for i = 1, #s do acc = (acc * 257 + s:byte(i)) % 2147483629 end
  return acc
end
local function key()
  local k = rnd(6)
  if k == 0 then return rnd(40) + 1 end
  if k == 1 then return (rnd(40) + 1) + 0.0 end
  if k == 2 then return rnd(40) + 0.5 end
  if k == 3 then return "s" .. rnd(20) end
  if k == 4 then return rnd(2) == 0 end
  return -rnd(5)
end
local acc = 0
for round = 1, 40 do
  local t = {}
  for step = 1, 300 do
    local op = rnd(10)
    local k = key()
    if op < 5 then t[k] = step
    elseif op < 7 then t[k] = nil
    elseif op == 7 then acc = h(acc, t[k])
    elseif op == 8 then
      local n = #t
      acc = h(acc, (n == 0 or t[n] ~= nil) and t[n + 1] == nil)
    else
      local c = 0
      for kk, vv in pairs(t) do c = c + 1 end
      acc = h(acc, c)
    end
  end
  local keys = {}
  for k, v in pairs(t) do keys[#keys + 1] = (type(k) == "boolean" and "b" or math.type(k) or "s") .. ":" .. tostring(k) .. "=" .. v end
  table.sort(keys)
  acc = h(acc, table.concat(keys, ","))
  local arr = {}
  for i = 1, rnd(50) do arr[i] = rnd(100) end
  table.sort(arr)
  for i = 1, rnd(5) do table.insert(arr, rnd(#arr + 1) + 1, -i) end
  for i = 1, rnd(5) do if #arr > 0 then table.remove(arr, rnd(#arr) + 1) end end
  acc = h(acc, table.concat(arr, " "))
end
print(acc)
