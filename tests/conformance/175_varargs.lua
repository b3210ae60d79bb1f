-- varargs keep trailing nils; select('#') counts them
local function count(...) return select("#", ...) end
print(count(), count(nil), count(nil, nil), count(1, nil, nil))
local function pack(...) return {...}, select("#", ...) end
local t, n = pack(1, nil, 3, nil)
print(n, t[1], t[2], t[3])
local function inner(...) local a, b = ...; return a, b end
print(inner(1), inner(1, 2, 3))
local function fwd(...) return count(...) end
print(fwd(nil, nil, nil))
local function first(...) return (...) end
print(first(5, 6, 7), first())
local function vs(...)
  local f = function(...) return select("#", ...) end
  return f(...), f(..., "x"), f("x", ...)
end
print(vs(1, 2))
local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + (select(i, ...) or 0) end
  return s
end
print(sum(1, 2, nil, 4))
local tp = table.pack(nil, nil)
print(tp.n, #{...} >= 0)
print(select("#", table.unpack({1, nil, 3}, 1, 3)))
local function va_in_table(...) local tt = {n = select("#", ...), ...}; return tt.n, tt[1] end
print(va_in_table("a", "b"))
