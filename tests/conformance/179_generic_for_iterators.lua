-- generic for with stateless and stateful iterators and a closing value (3.3.5)
local function iter(t, i)
  i = i + 1
  if t[i] then return i, t[i] end
end
for i, v in iter, {"a", "b", "c"}, 0 do io.write(i, v, " ") end print()
local function counter(n)
  local i = 0
  return function() i = i + 1; if i <= n then return i end end
end
for i in counter(4) do io.write(i, " ") end print()
local function closing(name)
  return setmetatable({}, {__close = function() print("closed", name) end})
end
local function range(n)
  local i = 0
  return function() i = i + 1; if i <= n then return i end end, nil, nil, closing("range" .. n)
end
for i in range(2) do io.write(i, " ") end print()
for i in range(5) do if i == 2 then break end end
local function findfirst()
  for i in range(10) do if i == 3 then return "returned " .. i end end
end
print(findfirst())
print(pcall(function() for i in range(3) do error("in loop", 0) end end))
for k, v, extra in function(s, c) if c < 2 then return c + 1, "v", "e" end end, nil, 0 do print(k, v, extra) end
print(pcall(function() for x in 5 do end end))
print(pcall(function() for x in nil do end end))
