local t = {10, 20, 30, nil, 50}
for i, v in ipairs(t) do io.write(i, "=", v, " ") end print()
local keys = {}
for k in pairs({a = 1, b = 2, c = 3}) do keys[#keys + 1] = k end
table.sort(keys) print(table.concat(keys, ","))
-- custom stateless iterator
local function range(n)
  return function(s, c) if c < n then return c + 1, c * c end end, nil, 0
end
for a, b in range(4) do io.write(a, ":", b, " ") end print()
-- three variables, missing values are nil
for a, b, c in function(_, i) if not i then return 1 end end do print(a, b, c) break end
-- iterator returning more values than variables
for x in function(s, i) i = (i or 0) + 1 if i <= 2 then return i, "extra" end end do io.write(x, " ") end print()
-- closing value (4th)
do
  local mt = {__close = function(o, e) print("closed", o.name, e) end}
  local obj = setmetatable({name = "it"}, mt)
  for v in function(s, i) i = i + 1 if i <= 2 then return i end end, nil, 0, obj do
    io.write(v, " ")
  end
  print()
  for v in function(s, i) i = i + 1 if i <= 5 then return i end end, nil, 0, obj do
    if v == 2 then break end
  end
  print(pcall(function()
    for v in function(s, i) return 1 end, nil, 0, obj do error("boom") end
  end))
end
-- next directly
local cnt = 0
for k, v in next, {x = 1, y = 2} do cnt = cnt + v end
print(cnt)
-- modifying the loop var in body
for i, v in ipairs({1, 2, 3}) do i = i * 100 io.write(i, " ") end print()
print(pcall(function() for x in 5 do end end))
print(pcall(function() for x in nil do end end))
print(pcall(function() for x in {} do end end))
local callable = setmetatable({}, {__call = function(s, a, b) if not b then return 1 end end})
for x in callable do print("callable iterator", x) end
