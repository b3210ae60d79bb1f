-- shadowing, nested scopes, upvalues
local x = 1
do local x = x + 1; print(x) end
print(x)
local x = "shadow"
print(x)
local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local c1, c2 = counter(), counter()
print(c1(), c1(), c2(), c1())
local a, b, c = 1
print(a, b, c)
local p, q = 1, 2, 3
print(p, q)
-- upvalue shared between closures
local function pair()
  local v = 0
  return function() v = v + 1 end, function() return v end
end
local inc, get = pair()
inc(); inc()
print(get())
-- local function recursion
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print(fact(20), fact(21))
local fib
fib = function(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end
print(fib(15))
-- deep nesting of upvalues
local function l1()
  local u = 10
  return function()
    return function()
      u = u + 1
      return u
    end
  end
end
local f3 = l1()()
print(f3(), f3())
