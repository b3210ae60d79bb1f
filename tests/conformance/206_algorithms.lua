-- a few classic algorithms: sieve, gcd, binary search, bubble sort
local function sieve(n)
  local is = {}
  for i = 2, n do is[i] = true end
  for i = 2, math.floor(math.sqrt(n)) do
    if is[i] then for j = i * i, n, i do is[j] = false end end
  end
  local primes = {}
  for i = 2, n do if is[i] then primes[#primes + 1] = i end end
  return primes
end
local p = sieve(1000)
print(#p, p[1], p[10], p[#p])
local function gcd(a, b) while b ~= 0 do a, b = b, a % b end return a end
print(gcd(48, 18), gcd(17, 5), gcd(0, 9), gcd(2^40 | 0, 6 ^ 10 // 1 | 0))
local function bsearch(arr, x)
  local lo, hi = 1, #arr
  while lo <= hi do
    local mid = (lo + hi) // 2
    if arr[mid] == x then return mid elseif arr[mid] < x then lo = mid + 1 else hi = mid - 1 end
  end
  return nil
end
print(bsearch(p, 997), bsearch(p, 4), bsearch(p, 2))
local arr = {9, 4, 7, 1, 8, 2}
for i = 1, #arr do for j = 1, #arr - i do if arr[j] > arr[j + 1] then arr[j], arr[j + 1] = arr[j + 1], arr[j] end end end
print(table.concat(arr, " "))
local function collatz(n) local steps = 0 while n ~= 1 do n = n % 2 == 0 and n // 2 or 3 * n + 1; steps = steps + 1 end return steps end
print(collatz(27), collatz(97))
