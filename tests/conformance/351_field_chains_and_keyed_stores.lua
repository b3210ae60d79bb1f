-- Field reads on expressions that are not local variables (globals, fields of fields,
-- call results, literals) and stores into local tables with computed keys: every
-- metamethod and error path, with lua5.4's variable names in the messages.
local function try(f, ...)
  local r = table.pack(pcall(f, ...))
  for i = 1, r.n do r[i] = tostring(r[i]) end
  print(table.concat(r, " ", 1, r.n))
end

-- globals and nested fields
g = {a = {b = {c = "abc"}}, n = 1}
print(g.a.b.c, g.a.b.d, g.n, string.rep("x", 3), math.maxinteger)
try(function() return g.a.x.y end)
try(function() return g.zz.y.z end)
try(function() return nosuch.field end)
try(function() return g.n.y end)
try(function() return g.a.b.c.len == string.len end)       -- strings index the string library
print(("abc").len == string.len, ("abc").upper("q"), #g.a.b.c)
try(function() return (1).x end)
try(function() local x = true; return x.y.z end)

-- __index functions and tables along the chain, and values that are false
local calls = 0
local proxy = setmetatable({}, {__index = function(t, k) calls = calls + 1; return {k = k, [k] = k .. "!"} end})
root = {p = proxy, f = false}
print(root.p.key.key, root.p.other.k, calls)
print(root.f, root.p.x.k)
try(function() return root.f.x end)
local Base = {greet = "hi"}
local Mid = setmetatable({}, {__index = Base})
local obj = setmetatable({}, {__index = Mid})
holder = {obj = obj}
print(holder.obj.greet, holder.obj.missing)
Base.greet = "hello"
print(holder.obj.greet)
getmetatable(Mid).__index = function(_, k) return "fn:" .. k end
print(holder.obj.greet, holder.obj.other)

-- call results: truncated to one value, evaluated once
local n = 0
local function two() n = n + 1; return {x = n}, {x = -1} end
print(two().x, two().x, n)
local function none() end
try(function() return none().x end)
try(function() return (two()).y.z end)

-- __index on a userdata-like value: a string's own metatable
print(("x").rep("ab", 2), ("%d"):format(7))

-- globals through a custom _ENV with __index
do
  local _ENV = setmetatable({}, {__index = function(_, k) return k == "print" and print or {name = k} end})
  print(alpha.name, beta.name)
end

-- stores into a local table with computed keys
local t = {}
t[#t + 1] = "a"
t[#t + 1] = "b"
t[1 + 1] = "B"
t[2.0 + 1] = "c"
t[#t + 2] = "gap"
print(#t, t[1], t[2], t[3], t[4], t[5])
local k = "key"
t[k .. 1] = 1
t[k:upper()] = 2
print(t.key1, t.KEY)
try(function() local u = {}; u[nil == nil and nil] = 1 end)
try(function() local u = {}; u[0/0] = 1 end)
try(function() local u = {}; u[g.nothing] = 1 end)
local f = {}
f[1.5] = "float"
f[-1] = "neg"
f[2^53] = "big"
f[0] = "zero"
print(f[1.5], f[-1], f[2^53], f[0], f[math.tointeger(2^53)])

-- order: key before value; the table variable read last; metatable set meanwhile
local log = {}
local tt = {}
local function key() log[#log + 1] = "key"; return 1 end
local function val() log[#log + 1] = "val"; return "v" end
tt[key()] = val()
print(table.concat(log, ","), tt[1])
local seen = {}
local other = {}
local function swap() tt = other; return 1 end
tt[swap()] = "to other"
print(rawget(other, 1), rawget(seen, 1))
local m = {}
local function setmt() setmetatable(m, {__newindex = function(_, kk, v) print("newindex", kk, v) end}); return 1 end
m[setmt()] = "x"
print(rawget(m, 1))
local m2 = setmetatable({}, {__newindex = function(tab, kk, v) rawset(tab, kk, v .. "+") end})
m2[#m2 + 1] = "p"
m2[#m2 + 1] = "q"
print(m2[1], m2[2], #m2)
local m3 = setmetatable({}, {__len = function() return 10 end})
m3[#m3 + 1] = "eleven"
print(rawget(m3, 11), rawlen(m3))
local m4 = {}
m4[#m4 + 1] = nil
print(#m4, next(m4))
try(function() local s = "str"; s[#s] = 1 end)
try(function() local s; s[g.n + 1] = 1 end)
try(function() local u = {}; u[{} .. ""] = 1 end)

-- a hash part before the array grows into it
local h = {}
h[3] = "three"
h[#h + 1] = "one"
h[#h + 1] = "two"
print(#h, h[1], h[2], h[3])
