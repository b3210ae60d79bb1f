-- recursion to moderate depths (kept within CPython's default stack)
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(depth(150))
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print(fact(20), fact(25))
local is_even, is_odd
function is_even(n) if n == 0 then return true end return is_odd(n - 1) end
function is_odd(n) if n == 0 then return false end return is_even(n - 1) end
print(is_even(100), is_odd(77))
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))
local function build(n) if n == 0 then return {} end return {child = build(n - 1)} end
local t = build(100)
local c = 0
while t.child do c = c + 1; t = t.child end
print(c)
local function tail(n, acc) if n == 0 then return acc end return tail(n - 1, acc + n) end
print(tail(150, 0))
local function ackermann(m, n)
  if m == 0 then return n + 1 end
  if n == 0 then return ackermann(m - 1, 1) end
  return ackermann(m - 1, ackermann(m, n - 1))
end
print(ackermann(2, 3))
