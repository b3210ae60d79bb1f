-- to-be-closed variables are closed in reverse order, also on break, return and error
local function res(name)
  return setmetatable({}, {__close = function(_, err) print("close " .. name, err) end})
end
local function f()
  local a <close> = res("a")
  local b <close> = res("b")
  do
    local c <close> = res("c")
  end
  print("body end")
  return "ret"
end
print(f())
for i = 1, 2 do
  local r <close> = res("loop" .. i)
  if i == 1 then goto continue end
  print("iteration", i)
  ::continue::
end
while true do
  local w <close> = res("while")
  break
end
print(pcall(function()
  local x <close> = res("x")
  local y <close> = res("y")
  error("failure", 0)
end))
print(pcall(function()
  local x <close> = setmetatable({}, {__close = function(_, e) error("close error " .. tostring(e), 0) end})
  error("original", 0)
end))
local function multi() local z <close> = res("z"); return 1, 2, 3 end
print(multi())
local ok, e = pcall(function() local nc <close> = 42 end)
print(ok, e)
