-- random byte strings: ordering, %q round trips through load, %s with widths, byte/char
local seed = 3141
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
local function h(acc, v)
  local s = tostring(v)
  for i = 1, #s do acc = (acc * 263 + s:byte(i)) % 2147483629 end
  return acc
end
local function rstr()
  local t = {}
  for i = 1, rnd(8) do
    local r = rnd(10)
    t[i] = string.char(r < 3 and rnd(256) or (r < 8 and 97 + rnd(3) or rnd(32)))
  end
  return table.concat(t)
end
local acc, roundtrips = 0, 0
for _ = 1, 2000 do
  local a, b = rstr(), rstr()
  acc = h(acc, tostring(a < b) .. tostring(a <= b) .. tostring(a == b) .. tostring(a > b))
  local q = string.format("%q", a)
  if load("return " .. q)() == a then roundtrips = roundtrips + 1 end
  acc = h(acc, q)
  if not a:find("\0", 1, true) then
    local w, p = rnd(11) + 1, rnd(6)
    acc = h(acc, string.format("%" .. w .. "." .. p .. "s|%-" .. w .. "s|", a, a))
  end
  acc = h(acc, string.char(a:byte(1, -1)) == a)
  acc = h(acc, a:upper() .. a:lower() .. a:reverse() .. a:rep(2, b))
  acc = h(acc, (a .. b):find(b, 1, true))
end
print(roundtrips, acc)
