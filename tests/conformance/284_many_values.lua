-- calls with tens of thousands of values: unpack, byte, char, select, varargs
local t = {}
for i = 1, 50000 do t[i] = i % 256 end
print(select("#", table.unpack(t)))
local s = string.char(table.unpack(t))
print(#s, s:byte(50000), select("#", s:byte(1, -1)))
local function count(...) return select("#", ...), (select(50000, ...)) end
print(count(table.unpack(t)))
print(math.max(table.unpack(t)), math.min(table.unpack(t)))
local packed = table.pack(s:byte(1, -1))
print(packed.n, packed[1], packed[256])
local co = coroutine.wrap(function(...) coroutine.yield(select("#", ...)) return ... end)
print(co(table.unpack(t)))
print(select("#", co()))
print(#table.concat({s:byte(1, 1000)}, ","))
