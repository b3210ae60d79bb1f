-- every operator applied to random pairs of values of every type; results and error
-- messages (with variable names) folded into a checksum
local seed = 555
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
local function h(acc, v)
  local s = tostring(v)
  if type(v) ~= "string" and type(v) ~= "number" and type(v) ~= "boolean" and v ~= nil then s = type(v) end
  for i = 1, #s do acc = (acc * 293 + s:byte(i)) % 2147483629 end
  return acc
end
local samples = {
  function() return nil end, function() return true end, function() return false end,
  function() return 0 end, function() return 3 end, function() return -2.5 end, function() return 0 / 0 end,
  function() return "10" end, function() return "abc" end, function() return "" end,
  function() return {} end, function() return setmetatable({}, {__name = "Named"}) end,
  function() return function(x) return x end end, function() return coroutine.create(print) end,
  function() return 2^63 end, function() return math.mininteger end,
}
local ops = {
  function(a, b) return a + b end, function(a, b) return a - b end, function(a, b) return a * b end,
  function(a, b) return a / b end, function(a, b) return a // b end, function(a, b) return a % b end,
  function(a, b) return a ^ b end, function(a, b) return -a end, function(a, b) return a & b end,
  function(a, b) return a | b end, function(a, b) return a << b end, function(a, b) return ~a end,
  function(a, b) return a .. b end, function(a, b) return a < b end, function(a, b) return a <= b end,
  function(a, b) return a == b end, function(a, b) return #a end, function(a, b) return a.field end,
  function(a, b) return a[b] end, function(a, b) return a(b) end, function(a, b) return a:method(b) end,
  function(a, b) a.x = b end, function(a, b) return ("%d"):format(a) end, function(a, b) return math.floor(a) end,
  function(a, b) return string.rep(a, 2) end, function(a, b) return type(a) .. type(b) end,
}
local acc, errs, n = 0, 0, 0
for _ = 1, 3000 do
  local a, b = samples[rnd(#samples) + 1](), samples[rnd(#samples) + 1]()
  local op = ops[rnd(#ops) + 1]
  local ok, r = pcall(op, a, b)
  if not ok then errs = errs + 1 end
  acc = h(acc, ok and r or ("E:" .. tostring(r)))
  n = n + 1
end
print(n, errs, acc)
