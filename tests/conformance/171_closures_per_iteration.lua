-- each loop iteration creates a fresh local
local fs = {}
for i = 1, 3 do fs[i] = function() return i end end
print(fs[1](), fs[2](), fs[3]())
local gs = {}
for _, v in ipairs({"a", "b", "c"}) do gs[#gs + 1] = function() return v end end
print(gs[1](), gs[2](), gs[3]())
local hs = {}
local j = 1
while j <= 3 do local k = j; hs[j] = function() return k end; j = j + 1 end
print(hs[1](), hs[2](), hs[3]())
local shared = {}
local n = 0
while n < 3 do n = n + 1; shared[n] = function() return n end end
print(shared[1](), shared[2](), shared[3]())
local rs = {}
local r = 0
repeat local m = r; rs[#rs + 1] = function() m = m + 1; return m end; r = r + 1 until r == 3
print(rs[1](), rs[1](), rs[2](), rs[3]())
local counters = {}
for i = 1, 2 do
  local count = 0
  counters[i] = function() count = count + i; return count end
end
print(counters[1](), counters[1](), counters[2](), counters[2]())
