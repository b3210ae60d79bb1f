-- goto leaving a block closes its to-be-closed variables; jumping backwards too
local function res(name) return setmetatable({}, {__close = function() print("close " .. name) end}) end
local n = 0
::again::
do
  local r <close> = res("iteration " .. n)
  n = n + 1
  if n < 3 then goto again end
end
print("after loop", n)
for i = 1, 2 do
  local outer <close> = res("outer " .. i)
  for j = 1, 2 do
    local inner <close> = res("inner " .. i .. j)
    if j == 1 then goto next_j end
    if i == 2 then goto done end
    ::next_j::
  end
end
::done::
print("done")
local function f()
  do
    local a <close> = res("a")
    do
      local b <close> = res("b")
      return "returned from nested blocks"
    end
  end
end
print(f())
