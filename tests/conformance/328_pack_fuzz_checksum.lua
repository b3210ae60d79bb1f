-- random string.pack formats and values (in and out of range), packed, unpacked and
-- folded into a checksum together with every error message
local seed = 1234
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
local function h(acc, v)
  local s = tostring(v)
  for i = 1, #s do acc = (acc * 277 + s:byte(i)) % 2147483647 end
  return acc
end
local opts = {"b", "B", "h", "H", "i", "I", "l", "L", "j", "J", "T", "i3", "I5", "i7", "I16", "i1", "f", "d", "n", "s1", "s2", "z", "c4", "x", "!4", "!8", "<", ">", "=", "Xi4"}
local function value_for(o)
  if o == "f" or o == "d" or o == "n" then return (rnd(2000) - 1000) / 8 end
  if o:sub(1, 1) == "s" or o == "z" then return ("v"):rep(rnd(5)) end
  if o == "c4" then return ("w"):rep(rnd(6)) end
  local r = rnd(8)
  if r == 0 then return -1 end
  if r == 1 then return 255 + rnd(3) end
  if r == 2 then return 65536 end
  if r == 3 then return math.maxinteger end
  if r == 4 then return -129 end
  return rnd(100)
end
local acc, okc, errc = 0, 0, 0
for _ = 1, 1500 do
  local fmt, vals = {}, {}
  for i = 1, rnd(5) + 1 do
    local o = opts[rnd(#opts) + 1]
    fmt[#fmt + 1] = o
    if not (o == "x" or o:sub(1, 1) == "!" or o == "<" or o == ">" or o == "=" or o == "Xi4") then vals[#vals + 1] = value_for(o) end
  end
  local f = table.concat(fmt, " ")
  local ok, packed = pcall(string.pack, f, table.unpack(vals))
  if ok then
    okc = okc + 1
    acc = h(acc, #packed)
    for i = 1, #packed do acc = (acc * 3 + packed:byte(i)) % 2147483647 end
    local r = table.pack(pcall(string.unpack, f, packed))
    for i = 1, r.n do acc = h(acc, r[i]) end
    local ok2, size = pcall(string.packsize, f)
    acc = h(acc, ok2 and size or "variable")
  else
    errc = errc + 1
    acc = h(acc, packed)
  end
end
print(okc, errc, acc)
