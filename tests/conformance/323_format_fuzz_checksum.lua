-- number formatting of random integers and floats folded into a checksum
local seed = 99
local function rnd(n) seed = (seed * 6364136223846793005 + 1442695040888963407); return (seed >> 33) % n end
local function h(acc, s)
  for i = 1, #s do acc = (acc * 31 + s:byte(i)) & 0xffffffffffff end
  return acc
end
local acc, n = 0, 0
local fmts = {"%d", "%5d", "%-8x", "%X", "%o", "%+.3d"}
local ffmts = {"%g", "%.3g", "%e", "%.10e", "%f", "%.2f", "%10.4f", "%a", "%.14g", "%.17g", "%5.1f", "%G", "%E"}
for _ = 1, 2500 do
  local i = rnd(2^40 | 0) - (1 << 39)
  if rnd(10) == 0 then i = math.mininteger + rnd(5) end
  for _, f in ipairs(fmts) do acc = h(acc, string.format(f, i)); n = n + 1 end
  local mant = rnd(1 << 52) / (1 << 52)
  local x = (1 + mant) * 2.0 ^ (rnd(120) - 60) * ((rnd(2) == 0) and 1 or -1)
  if rnd(20) == 0 then x = 2.0 ^ (rnd(2098) - 1074) end
  for _, f in ipairs(ffmts) do acc = h(acc, string.format(f, x)); n = n + 1 end
  acc = h(acc, tostring(x)); acc = h(acc, tostring(i)); acc = h(acc, x .. "|" .. i)
  acc = h(acc, string.format("%q", x)); acc = h(acc, tostring(math.floor(x * 1000) / 8))
  n = n + 5
end
print(n, acc)
