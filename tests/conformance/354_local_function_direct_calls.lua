-- Local functions reached only by direct calls (the transpiler gives them an exact
-- Python signature) next to ones that escape: extra and missing arguments, values
-- returned, reassignment, recursion, and functions used as values.
local function show(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) end
  return t.n .. ":" .. table.concat(t, ",")
end

-- only direct calls, fewer arguments than parameters
local function three(a, b, c) return tostring(a) .. tostring(b) .. tostring(c) end
print(three(), three(1), three(1, 2), three(1, 2, 3), three(nil, nil, 3))

-- recursion, several return statements, all one plain value
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local function classify(n)
  if n < 0 then return "neg" elseif n == 0 then return "zero" end
  for i = 1, 3 do if n == i then return "small" end end
  while true do return n > 100 and "big" or "mid" end
  return "never"
end
print(fib(20), classify(-1), classify(0), classify(2), classify(50), classify(1000))
print(select("#", fib(3)), select("#", classify(1)), (fib(10)))

-- returns that are not one plain value
local function nothing() end
local function two() return 1, 2 end
local function passthru(x) return two() end
local function maybe(x) if x then return x end end
local function trailing(x) if x then return 1 end local y = x end
print(show(nothing()), show(two()), show(passthru()), show(maybe(false)), show(maybe(5)))
print(show(trailing(false)), show(trailing(true)))
local a1, a2 = two()
local b1 = nothing()
print(a1, a2, b1, (two()), nothing() == nil, maybe(nil) == nil)
local t = {two(), two(), nothing()}
print(#t, t[1], t[2], t[3])

-- called with more arguments than parameters somewhere: extra ones evaluated, dropped
local log = {}
local function note(x) log[#log + 1] = x; return x end
local function one(a) return a end
print(one(1), one(note(2), note(3), note(4)), table.concat(log, ","))

-- called with a multi-valued last argument
local function pair(a, b) return show(a, b) end
print(pair(two()), pair(nothing()), pair(1, two()), pair(two(), 9))

-- used as a value: passed, stored, compared, returned
local function sq(x) return x * x end
local function apply(f, v) return f(v) end
local store = {sq = sq}
print(apply(sq, 3), store.sq(4), sq == store.sq, type(sq), pcall(sq, 5, "extra"))
local function getter() return sq end
print(getter()(6, 7, 8))
local co = coroutine.wrap(function(...) return sq(...) end)
print(co(7, 8))

-- reassigned after its declaration (the new value may take any arguments)
local function swap(x) return "first " .. tostring(x) end
print(swap(1))
swap = function(...) return "second " .. select("#", ...) end
print(swap(1, 2, 3))
local function redefine(x) return "r1" end
print(redefine())
function redefine(x, y) return "r2 " .. tostring(y) end
print(redefine(1, 2))

-- mutual recursion through a forward declaration
local is_odd
local function is_even(n) if n == 0 then return true end return is_odd(n - 1) end
function is_odd(n) if n == 0 then return false end return is_even(n - 1) end
print(is_even(10), is_odd(7), is_even(7))

-- declared in a loop and captured (a fresh function each iteration)
local fns = {}
for i = 1, 3 do
  local function f(x) return i * (x or 1) end
  fns[i] = function(y) return f(y) end
  print(f(), f(10))
end
print(fns[1](5), fns[3](5))

-- errors inside and around direct calls, with names
local function bad(x) return x.field end
print(pcall(function() return bad(nil) end))
local function arith(x) return x + 1 end
print(pcall(function() return arith({}) end))
local function calls_nil(x) return x() end
print(pcall(function() return calls_nil(nil) end))
local function deep(n) return 1 + deep(n + 1) end
local ok, msg = pcall(function() return deep(1) end)
print(ok, string.find(msg, "stack overflow") ~= nil)

-- a varargs local function stays a varargs one
local function count(...) return select("#", ...) end
print(count(), count(nil), count(1, nil, nil), count(two()))

-- shadowing: a different local with the same name
local function same(x) return "outer " .. tostring(x) end
do
  local same = function(x, y) return "inner " .. tostring(y) end
  print(same(1, 2))
end
print(same(1))
