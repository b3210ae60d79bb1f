-- os.date with random C99 conversions over random times (UTC and local, TZ=UTC), and
-- os.time round trips, folded into a checksum
local seed = 1970
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
local function h(acc, v)
  local s = tostring(v)
  for i = 1, #s do acc = (acc * 263 + s:byte(i)) % 2147483629 end
  return acc
end
local convs = {"a", "A", "b", "B", "c", "C", "d", "D", "e", "F", "g", "G", "h", "H", "I", "j", "m", "M", "n", "p",
  "r", "R", "S", "t", "T", "u", "U", "V", "w", "W", "x", "X", "y", "Y", "z", "Z", "%", "Ec", "EY", "Od", "OH"}
local acc = 0
for _ = 1, 1500 do
  local t = rnd(2^31 | 0) * 2 - rnd(2^30 | 0)
  local f = {rnd(2) == 0 and "!" or ""}
  for i = 1, rnd(5) + 1 do f[#f + 1] = "%" .. convs[rnd(#convs) + 1]; if rnd(3) == 0 then f[#f + 1] = "-" end end
  acc = h(acc, os.date(table.concat(f), t))
  local tt = os.date(rnd(2) == 0 and "*t" or "!*t", t)
  acc = h(acc, tt.year .. tt.month .. tt.day .. tt.hour .. tt.min .. tt.sec .. tt.wday .. tt.yday .. tostring(tt.isdst))
  tt.day = tt.day + rnd(60) - 30
  tt.hour = tt.hour + rnd(50) - 25
  acc = h(acc, os.time(tt))
end
print(acc)
