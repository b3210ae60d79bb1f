-- table.insert/remove at random positions checked against a model written with plain loops
local seed = 2024
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
local function model_insert(t, n, pos, v) for i = n, pos, -1 do t[i + 1] = t[i] end t[pos] = v return n + 1 end
local function model_remove(t, n, pos) local v = t[pos]; for i = pos, n - 1 do t[i] = t[i + 1] end t[n] = nil return v, n - 1 end
local real, model, n = {}, {}, 0
local mismatches, ops, removed_sum = 0, 0, 0
for step = 1, 3000 do
  local op = rnd(3)
  if op < 2 or n == 0 then
    local pos = rnd(n + 1) + 1
    local v = step
    if rnd(4) == 0 then table.insert(real, v); n = model_insert(model, n, n + 1, v)
    else table.insert(real, pos, v); n = model_insert(model, n, pos, v) end
  else
    local pos = rnd(n) + 1
    local a
    if rnd(4) == 0 then a = table.remove(real); local b; b, n = model_remove(model, n, n); if a ~= b then mismatches = mismatches + 1 end
    else a = table.remove(real, pos); local b; b, n = model_remove(model, n, pos); if a ~= b then mismatches = mismatches + 1 end end
    removed_sum = removed_sum + a
  end
  ops = ops + 1
  if #real ~= n then mismatches = mismatches + 1 end
end
for i = 1, n do if real[i] ~= model[i] then mismatches = mismatches + 1 end end
print(ops, n, #real, mismatches, removed_sum, real[1], real[n])
local moved = {}
for i = 1, 50 do moved[i] = i end
table.move(moved, 10, 50, 1)
table.move(moved, 1, 20, 31)
print(#moved, moved[1], moved[31], moved[50], table.concat(moved, ",", 28, 33))
