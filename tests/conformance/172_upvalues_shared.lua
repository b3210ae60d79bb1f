-- closures share upvalues by reference
local function make()
  local v = 0
  local function get() return v end
  local function set(x) v = x end
  local function inc() v = v + 1; return v end
  return get, set, inc
end
local get, set, inc = make()
print(get()); set(10); print(get()); print(inc(), get())
local get2 = make()
print(get2(), get())
local x = 1
local function show() return x end
x = 2
print(show())
local function outer()
  local a = 1
  local function mid()
    local function inner() a = a + 1; return a end
    return inner
  end
  local i = mid()
  i(); i()
  return a
end
print(outer())
local acc = {}
do
  local total = 0
  function acc.add(n) total = total + n end
  function acc.get() return total end
end
acc.add(5); acc.add(7)
print(acc.get())
