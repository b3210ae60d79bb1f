-- thousands of integer and float operations on random operands folded into checksums;
-- any single difference from lua5.4 changes the printed values
local s0, s1 = 0x243F6A8885A308D3, 0x13198A2E03707344
local function rand64()
  local x, y = s0, s1
  s0 = y
  x = x ~ (x << 23)
  s1 = x ~ y ~ (x >> 17) ~ (y >> 26)
  return s1 + y
end
local function pick()
  local r = rand64()
  local kind = r & 7
  if kind == 0 then return r end
  if kind == 1 then return (r >> 40) - (1 << 23) end
  if kind == 2 then return math.mininteger + (r & 3) end
  if kind == 3 then return math.maxinteger - (r & 3) end
  if kind == 4 then return (r >> 11) * 2.0^-53 * 1000 - 500 end
  if kind == 5 then return ((r >> 8) & 15) - 8 end
  if kind == 6 then return ((r >> 20) & 0xffff) + 0.5 end
  return (r % 7) - 3.0
end
local function h(acc, v)
  local bits
  if math.type(v) == "integer" then bits = v
  elseif v ~= v then bits = 0x7ff8
  elseif v == math.huge then bits = 0x7ff0
  elseif v == -math.huge then bits = -0x7ff0
  else bits = string.unpack("<i8", string.pack("<d", v)) end
  acc = acc ~ bits
  return ((acc << 13) | (acc >> 51)) * 5 + 0x52dce729
end
local acc, errors, count = 0, 0, 0
for _ = 1, 4000 do
  local a, b = pick(), pick()
  for _, op in ipairs({"+", "-", "*", "/", "//", "%", "^", "<", "<=", "=="}) do
    local ok, v
    if op == "+" then ok, v = pcall(function() return a + b end)
    elseif op == "-" then ok, v = pcall(function() return a - b end)
    elseif op == "*" then ok, v = pcall(function() return a * b end)
    elseif op == "/" then ok, v = pcall(function() return a / b end)
    elseif op == "//" then ok, v = pcall(function() return a // b end)
    elseif op == "%" then ok, v = pcall(function() return a % b end)
    elseif op == "^" then ok, v = pcall(function() return (a % 10) ^ (b % 3) end)
    elseif op == "<" then ok, v = true, (a < b) and 1 or 0
    elseif op == "<=" then ok, v = true, (a <= b) and 1 or 0
    else ok, v = true, (a == b) and 1 or 0 end
    if ok then acc = h(acc, v) else errors = errors + 1; acc = h(acc, #v) end
    count = count + 1
  end
  if math.type(a) == "integer" and math.type(b) == "integer" then
    local sh = b % 70 - 3
    acc = h(acc, a & b); acc = h(acc, a | b); acc = h(acc, a ~ b); acc = h(acc, ~a)
    acc = h(acc, a << sh); acc = h(acc, a >> sh)
    count = count + 6
  end
end
print(count, errors, acc, string.format("%x", acc))
