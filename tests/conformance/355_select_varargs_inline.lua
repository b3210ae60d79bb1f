-- select('#', ...) and select(i, ...) in one-value positions (read from the varargs in
-- place when select is the standard one): every index kind, nils among the values,
-- errors, and a global select replaced or removed.
local function count(...) return select("#", ...) end
local function pick(i, ...) local v = select(i, ...); return v end
local function pick2(...) local a, b = select(2, ...), select(1, ...); return a, b end
print(count(), count(nil), count(nil, nil), count(1, nil, 3, nil))
for i = 1, 6 do io.write(tostring(pick(i, "a", nil, "c", false)), " ") end
print()
print(pick(-1, "a", "b", "c"), pick(-3, "a", "b", "c"), pick(2.0, "a", "b"), pick("2", "x", "y"))
print(pick2("p", "q", "r"), pick2("only"))
print(pcall(pick, 0, "a"))
print(pcall(pick, -4, "a", "b", "c"))
print(pcall(pick, nil, "a"))
print(pcall(pick, 1.5, "a"))
print(pcall(pick, "x", "a"))
print(pcall(pick, math.maxinteger, "a"))
print(pcall(pick, math.mininteger, "a"))
local function literal(...) return (select(3, ...)), select("#", ...) + 0 end
print(literal(1, 2, 3, 4), literal(1, 2))
local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + (select(i, ...) or 0) end
  return s
end
print(sum(), sum(1, 2, 3), sum(1, nil, 3))
-- select in multi-value positions keeps every value
local function rest(...) return select(2, ...) end
print(rest(1, 2, 3), (rest(1, 2, 3)), #{rest(1, 2, 3)})

-- a replaced global select is called instead
local real = select
select = function(n, ...) return "fake " .. tostring(n) .. " " .. real("#", ...) end
print(count(1, 2), pick(1, "a"), sum == nil)
select = real
print(count(1, 2), pick(1, "a"))
select = nil
print(pcall(count, 1))
print(pcall(pick, 1, "a"))
select = real
-- a local _ENV whose select is something else
do
  local _ENV = {select = function(...) return "env", ... end, print = print}
  local function c(...) return select("#", ...) end
  print(c(1, 2))
end
-- a local variable named select is not the global
do
  local select = function() return "local select" end
  local function c(...) return select("#", ...) end
  print(c(1))
end
-- i changed between the lookup and the call cannot happen (i is a local read once),
-- but an __index on _ENV sees the lookup of select every time
local lookups = 0
local env = setmetatable({}, {__index = function(_, k) if k == "select" then lookups = lookups + 1 end return _G[k] end})
local f = load("local n = ...; return select('#', ...) + select(n, ...)", "chunk", "t", env)
print(f(2, 40), lookups)
