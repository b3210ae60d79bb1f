-- the xoshiro256** sequence for several seeds and range projections
for _, seed in ipairs({0, 1, -1, 2^40 | 0, math.maxinteger, math.mininteger}) do
  math.randomseed(seed)
  local r = {}
  for i = 1, 4 do r[i] = math.random(1000) end
  print(seed, table.concat(r, " "), math.random(1, 10^12), string.format("%.17g", math.random()))
end
math.randomseed(5, 7)
print(math.random(-2^62 | 0, 2^62 | 0), math.random(0), math.random(3.0), math.random(2, 2^53 | 0))
math.randomseed(99)
local counts = {}
for i = 1, 1000 do local v = math.random(-3, 3); counts[v] = (counts[v] or 0) + 1 end
local out = {}
for v = -3, 3 do out[#out + 1] = v .. ":" .. counts[v] end
print(table.concat(out, " "))
