-- upvalues, fresh per-iteration locals, multiple assignment
local function counter(start)
  local n = start or 0
  return function(step) n = n + (step or 1); return n end
end
local fs = {}
for i = 1, 3 do
  local sq = i * i
  fs[i] = function() return i, sq end
end
local c = counter(10)
c(); c(5)
local a, b = fs[2]()
a, b = b, a
print(c(), a, b, select("#", fs[3]()))
