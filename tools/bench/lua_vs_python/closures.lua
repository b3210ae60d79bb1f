-- Function calls: recursion (fib), closures and upvalues, varargs, higher-order functions.
local scale = tonumber(arg and arg[1]) or 1
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local depth = 34 + math.floor(math.log(scale, 1.618) + 0.5)
local f = fib(depth)
local function counter()
  local c = 0
  return function(k) c = c + (k or 1); return c end
end
local total = 0
for i = 1, math.floor(60000 * scale) do
  local inc = counter()
  for j = 1, 50 do inc(j) end
  total = total + inc(0)
end
local function map(t, fn) local r = {} for i = 1, #t do r[i] = fn(t[i]) end return r end
local function reduce(t, fn, acc) for i = 1, #t do acc = fn(acc, t[i]) end return acc end
local data = {}
for i = 1, 1000 do data[i] = i end
local r = 0
for round = 1, math.floor(1000 * scale) do
  r = r + reduce(map(data, function(x) return x * round end), function(a, b) return a + b end, 0)
end
local function sum(...) local s = 0 for i = 1, select("#", ...) do s = s + select(i, ...) end return s end
local vs = 0
for i = 1, math.floor(500000 * scale) do vs = vs + sum(i, 1, 2, 3) end
print(depth, f, total, r, vs)
