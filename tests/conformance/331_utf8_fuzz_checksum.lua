-- the utf8 library on random byte strings (valid and invalid sequences, lax mode)
local seed = 1618
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
local function h(acc, v)
  local s = tostring(v)
  for i = 1, #s do acc = (acc * 271 + s:byte(i)) % 2147483629 end
  return acc
end
local chunks = {"a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\x80", "\xc3", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\x80", "\xff", "\0", "z", "\xf8\x88\x80\x80\x80"}
local acc = 0
for _ = 1, 2000 do
  local t = {}
  for i = 1, rnd(6) do t[i] = chunks[rnd(#chunks) + 1] end
  local s = table.concat(t)
  local i, j = rnd(#s + 3) - 1, rnd(#s + 3) - 1
  for _, lax in ipairs({false, true}) do
    local l = table.pack(utf8.len(s, 1, -1, lax))
    acc = h(acc, tostring(l[1]) .. "," .. tostring(l[2]))
    local r = table.pack(pcall(utf8.codepoint, s, 1, -1, lax))
    for k = 1, r.n do acc = h(acc, r[k]) end
    local ok, it = pcall(function()
      local out = {}
      for p, c in utf8.codes(s, lax) do out[#out + 1] = p .. ":" .. c end
      return table.concat(out, " ")
    end)
    acc = h(acc, it)
  end
  local r2 = table.pack(pcall(utf8.offset, s, rnd(7) - 3, math.max(1, math.min(i, #s + 1))))
  for k = 1, r2.n do acc = h(acc, r2[k]) end
  local r3 = table.pack(pcall(utf8.len, s, i, j))
  for k = 1, r3.n do acc = h(acc, r3[k]) end
  local cps = {}
  for k = 1, rnd(4) do cps[k] = ({0, 0x7f, 0x80, 0x7ff, 0x800, 0xffff, 0x10000, 0x10ffff, 0x7fffffff})[rnd(9) + 1] end
  acc = h(acc, utf8.char(table.unpack(cps)))
end
print(acc)
