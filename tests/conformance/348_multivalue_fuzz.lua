-- random nests of calls returning 0..3 values in argument lists, constructors, returns,
-- parentheses and select, generated as source, loaded and run; folded into a checksum
local seed = 3003
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
local function h(acc, v)
  local s = tostring(v)
  for i = 1, #s do acc = (acc * 263 + s:byte(i)) % 2147483629 end
  return acc
end
local function call(d)
  local fns = {"r0()", "r1()", "r2()", "r3()", "r3(nil)", "id()", "...", "(...)", "(r3())"}
  if d <= 0 or rnd(3) == 0 then return fns[rnd(#fns) + 1] end
  local args = {}
  for i = 1, rnd(4) do args[i] = call(d - 1) end
  local wrappers = {"id(%s)", "pk(%s)", "select('#', %s)", "sel2(%s)", "(id(%s))", "cnt({%s})", "last(%s)"}
  return string.format(wrappers[rnd(#wrappers) + 1], table.concat(args, ", "))
end
local prelude = [[
local function r0() end
local function r1() return 1 end
local function r2() return 1, 2 end
local function r3(x) return x, nil, 3 end
local function id(...) return ... end
local function pk(...) return table.pack(...).n end
local function sel2(...) return select(2, ...) end
local function cnt(t) local c = 0 for _ in pairs(t) do c = c + 1 end return c end
local function last(...) local n = select('#', ...) if n == 0 then return "none" end return (select(n, ...)) end
]]
local acc, errs = 0, 0
for _ = 1, 500 do
  local src = prelude .. "return " .. call(3)
  local fn, err = load(src, "=mv")
  if not fn then acc = h(acc, err) else
    local r = table.pack(pcall(fn, "va1", nil, "va3"))
    if not r[1] then errs = errs + 1 end
    acc = h(acc, r.n)
    for i = 1, r.n do acc = h(acc, r[i]) end
  end
end
print(errs, acc)
