-- random expressions compiled with load() and evaluated: precedence, associativity,
-- subtypes, coercions, short-circuit and error messages, folded into a checksum
local seed = 8128
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
local function h(acc, v)
  local s = tostring(v)
  if type(v) == "table" or type(v) == "function" then s = type(v) end
  for i = 1, #s do acc = (acc * 263 + s:byte(i)) % 2147483629 end
  return acc
end
local atoms = {"1", "2", "0", "-3", "7.5", "0.0", "2^63", "'10'", "'x'", "\"3.0\"", "nil", "true", "false",
  "a", "b", "c", "s", "t", "#s", "#t", "f(1)", "f(a)", "math.maxinteger", "math.mininteger", "(1/0)", "(0/0)", "0x10"}
local binops = {"+", "-", "*", "/", "//", "%", "^", "..", "==", "~=", "<", "<=", ">", ">=", "and", "or", "&", "|", "~", "<<", ">>"}
local unops = {"-", "not ", "#", "~"}
local function gen(depth)
  local r = rnd(10)
  if depth <= 0 or r < 3 then return atoms[rnd(#atoms) + 1] end
  if r < 5 then return unops[rnd(#unops) + 1] .. gen(depth - 1) end
  if r < 6 then return "(" .. gen(depth - 1) .. ")" end
  return gen(depth - 1) .. " " .. binops[rnd(#binops) + 1] .. " " .. gen(depth - 1)
end
local prelude = "local a, b, c, s, t = 5, -2.5, 3, 'hello', {1, 2, 3}; local function f(x) return x end; return "
local acc, oks, errs, synt = 0, 0, 0, 0
for _ = 1, 1200 do
  local src = gen(4)
  local fn, err = load(prelude .. src, "=e")
  if not fn then synt = synt + 1; acc = h(acc, err)
  else
    local ok, v = pcall(fn)
    if ok then oks = oks + 1; acc = h(h(acc, v), math.type(v))
    else errs = errs + 1; acc = h(acc, v) end
  end
end
print(oks, errs, synt, acc)
