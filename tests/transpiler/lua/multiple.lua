local function mr() return 1, 2, 3 end
local function none() end
local function pack(...) return select("#", ...), ... end
print(mr())
print((mr()))
print(mr(), 10)
print(10, mr())
print(({mr()})[3], #{mr()}, #{mr(), mr()}, #{(mr())})
print(pack(mr()))
print(pack(none()))
print(pack(nil, nil))
print(pack((none())))
print(select("#", none()), select("#", nil), select("#"))
print(select(2, "a", "b", "c"))
print(select(-1, "a", "b", "c"))
local a, b, c, d = mr()
print(a, b, c, d)
local e, f = (mr())
print(e, f)
local t = {mr(), mr()}
print(#t, t[1], t[2], t[4])
local function tail(...) return ... end
print(tail(1, nil, 3, nil))
print(select("#", tail(1, nil, 3, nil)))
local function varg(...)
  local x, y = ...
  local n = select("#", ...)
  return n, x, y, ...
end
print(varg())
print(varg(1))
print(varg(1, 2, 3))
-- multiple assignment: evaluate all, then assign
local x, y = 1, 2
x, y = y, x
print(x, y)
local i = 1
local arr = {}
i, arr[i] = i + 1, 20
print(i, arr[1], arr[2])
local q = {}
q.a, q.b, q.c = mr()
print(q.a, q.b, q.c)
local u, v, w = 1
print(u, v, w)
-- extra values are evaluated
local cnt = 0
local function side() cnt = cnt + 1 return cnt end
local s1 = side(), side(), side()
print(s1, cnt)
-- string.format with varargs
print(string.format("%d %s %q", 5, "x", "a\nb"))
print(math.max(mr()), math.min(mr()))
-- a target's table/key variable assigned in the same statement is read before (check_conflict)
local j = 1
local arr = {"a", "b", "c"}
arr[j], j = "changed", 2
print(arr[1], arr[2], j)
local tt, other = {}, {}
tt.x, tt = 1, other
print(tt == other, other.x)
gk = "k1"
local g = {}
g[gk], gk = "v", "k2"
print(g.k1, g.k2, gk)
