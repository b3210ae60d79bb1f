local function closer(name)
  return setmetatable({}, {__close = function(o, e) print("close", name, e) end})
end
do
  local a <close> = closer("a")
  local b <close> = closer("b")
  local c <const> = 42
  print("body", c)
end
print(pcall(function()
  local x <close> = closer("x")
  error("oops", 0)
end))
local function ret()
  local r <close> = closer("r")
  return "returned"
end
print(ret())
for i = 1, 2 do
  local l <close> = closer("loop" .. i)
  if i == 2 then break end
end
print(pcall(function() local bad <close> = 42 end))
do local n <close> = nil; local f <close> = false; print("nil/false ok") end
local k <const> = "const"
print(k)
