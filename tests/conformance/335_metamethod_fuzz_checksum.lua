-- random metatables (each metamethod present or not, returning various values) under
-- random operations; results and error messages folded into a checksum
local seed = 6006
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
local function h(acc, v)
  local s = tostring(v)
  if type(v) == "table" or type(v) == "function" or type(v) == "thread" then s = type(v) end
  for i = 1, #s do acc = (acc * 263 + s:byte(i)) % 2147483629 end
  return acc
end
local events = {"__add", "__sub", "__mul", "__div", "__mod", "__pow", "__unm", "__idiv", "__band", "__bor",
  "__bxor", "__shl", "__shr", "__bnot", "__concat", "__len", "__eq", "__lt", "__le", "__index", "__newindex", "__call"}
local function make()
  local mt = {}
  for _, e in ipairs(events) do
    if rnd(2) == 0 then
      local mode = rnd(5)
      if e == "__index" and mode == 4 then mt[e] = {present = "via table"}
      elseif e == "__newindex" and mode == 4 then mt[e] = {}
      else mt[e] = function(a, b) if mode == 0 then return e elseif mode == 1 then return nil elseif mode == 2 then return 42 elseif mode == 3 then return false end error("mm " .. e, 0) end end
    end
  end
  if rnd(4) == 0 then mt.__name = "Fz" end
  return setmetatable({}, mt)
end
local ops = {
  function(a, b) return a + b end, function(a, b) return a - 1 end, function(a, b) return 2 * a end,
  function(a, b) return a / b end, function(a, b) return a % 3 end, function(a, b) return a ^ b end,
  function(a, b) return -a end, function(a, b) return a // b end, function(a, b) return a & 1 end,
  function(a, b) return 1 | a end, function(a, b) return a ~ b end, function(a, b) return a << 1 end,
  function(a, b) return a >> b end, function(a, b) return ~a end, function(a, b) return a .. "s" end,
  function(a, b) return "s" .. a end, function(a, b) return #a end, function(a, b) return a == b end,
  function(a, b) return a ~= b end, function(a, b) return a < b end, function(a, b) return a <= b end,
  function(a, b) return a > 1 end, function(a, b) return a.present end, function(a, b) return a.other end,
  function(a, b) a.field = 1; return rawget(a, "field") end, function(a, b) return a(1, 2) end,
  function(a, b) return a .. b .. a end,
}
local acc, errs = 0, 0
for _ = 1, 3000 do
  local a, b = make(), (rnd(3) == 0) and 7 or make()
  local ok, r = pcall(ops[rnd(#ops) + 1], a, b)
  if not ok then errs = errs + 1 end
  acc = h(acc, ok and r or ("E:" .. tostring(r)))
end
print(errs, acc)
