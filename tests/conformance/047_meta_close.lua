-- __close runs when a to-be-closed variable goes out of scope (3.3.8)
local function closer(name)
  return setmetatable({}, {__close = function(self, err) print("close", name, err) end})
end
do
  local a <close> = closer("a")
  local b <close> = closer("b")
  print("in block")
end
print("after block")
local function f()
  local x <close> = closer("x")
  return "returned"
end
print(f())
for i = 1, 3 do
  local c <close> = closer("loop" .. i)
  if i == 2 then break end
end
local ok, err = pcall(function()
  local e <close> = closer("e")
  error("boom", 0)
end)
print(ok, err)
do local n <close> = nil; local f2 <close> = false; print("nil and false are fine") end
print(pcall(function() local bad <close> = {} end))
