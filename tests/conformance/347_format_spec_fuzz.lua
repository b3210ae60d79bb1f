-- randomly generated string.format specifications (flags, widths, precisions, every
-- conversion, invalid ones) applied to values of every kind
local seed = 4096
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
local function h(acc, v)
  local s = tostring(v)
  for i = 1, #s do acc = (acc * 263 + s:byte(i)) % 2147483629 end
  return acc
end
local flags = {"", "", "-", "+", " ", "#", "0", "-0", "+ ", "#0"}
local convs = {"d", "i", "u", "c", "x", "X", "o", "e", "E", "f", "F", "g", "G", "a", "A", "s", "q", "%", "y", "l"}
local values = {0, 1, -1, 42, 255, 3.0, -2.5, 0.1, 1e100, 1 / 0, -1 / 0, 0 / 0, 2^63, math.mininteger, math.maxinteger,
  "str", "12", "", "a\0b", true, nil, {}}
local acc, errs = 0, 0
for _ = 1, 6000 do
  local spec = "%" .. flags[rnd(#flags) + 1]
  if rnd(2) == 0 then spec = spec .. rnd(25) end
  if rnd(2) == 0 then spec = spec .. "." .. rnd(20) end
  spec = spec .. convs[rnd(#convs) + 1]
  local v = values[rnd(#values) + 1]
  local ok, r = pcall(string.format, "[" .. spec .. "]", v)
  if not ok then errs = errs + 1 end
  if type(v) == "table" and ok then r = "table-ok" end
  acc = h(acc, r)
end
print(errs, acc)
