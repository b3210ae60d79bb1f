-- random writes, seeks and reads (every format) on a temporary file opened "w+"; a seek
-- always separates writing from reading, as C stdio requires
local seed = 1066
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
local function h(acc, v)
  local s = tostring(v)
  for i = 1, #s do acc = (acc * 263 + s:byte(i)) % 2147483629 end
  return acc
end
local name = os.tmpname()
local f = assert(io.open(name, "w+"))
local words = {"12", " ", "\n", "abc", "3.5", "-7", "0x1F", "\r\n", "x y", "", "99999999999999999999", "1e3", "\0"}
local acc = 0
for step = 1, 1500 do
  local op = rnd(4)
  if op == 0 then
    local t = {}
    for i = 1, rnd(4) + 1 do t[i] = words[rnd(#words) + 1] end
    f:seek(rnd(2) == 0 and "end" or "cur", 0)
    acc = h(acc, f:write(table.unpack(t)) == f)
    f:seek("cur", 0)
  elseif op == 1 then
    local whence = ({"set", "cur", "end"})[rnd(3) + 1]
    local off = rnd(20) - (whence == "set" and 0 or 10)
    local r = table.pack(f:seek(whence, off))
    acc = h(acc, tostring(r[1]) .. tostring(r[2]))
  else
    local fmt = ({"l", "L", "n", "a", 0, 1, 3, 10})[rnd(8) + 1]
    local r = table.pack(f:read(fmt, rnd(3) == 0 and "n" or "l"))
    for i = 1, r.n do acc = h(acc, r[i]) end
  end
end
acc = h(acc, f:seek("end"))
f:close()
local all = 0
for l in io.lines(name, "L") do all = all + #l end
os.remove(name)
print(acc, all)
