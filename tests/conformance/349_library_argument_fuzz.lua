-- library functions called with random argument lists (missing, extra, wrong types,
-- numeric strings, floats, huge and negative numbers); results and messages folded
local seed = 7777
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
local function h(acc, v)
  local s = tostring(v)
  if type(v) == "table" or type(v) == "function" or type(v) == "thread" or type(v) == "userdata" then s = type(v) end
  for i = 1, #s do acc = (acc * 263 + s:byte(i)) % 2147483629 end
  return acc
end
local fns = {
  {"string.byte", string.byte}, {"string.char", string.char}, {"string.find", string.find}, {"string.format", string.format},
  {"string.len", string.len}, {"string.lower", string.lower}, {"string.match", string.match}, {"string.rep", string.rep},
  {"string.reverse", string.reverse}, {"string.sub", string.sub}, {"string.upper", string.upper}, {"string.gsub", string.gsub},
  {"table.concat", table.concat}, {"table.insert", table.insert}, {"table.remove", table.remove}, {"table.unpack", table.unpack},
  {"table.move", table.move}, {"math.floor", math.floor}, {"math.max", math.max}, {"math.fmod", math.fmod},
  {"math.tointeger", math.tointeger}, {"math.abs", math.abs}, {"math.ult", math.ult}, {"utf8.char", utf8.char},
  {"utf8.len", utf8.len}, {"utf8.offset", utf8.offset}, {"select", select}, {"tonumber", tonumber}, {"rawlen", rawlen},
  {"rawequal", rawequal}, {"rawget", rawget}, {"setmetatable", setmetatable}, {"string.packsize", string.packsize},
}
local args = {function() return nil end, function() return 1 end, function() return -1 end, function() return 0 end,
  function() return 2.5 end, function() return 3.0 end, function() return "2" end, function() return "abc" end,
  function() return "%d" end, function() return "" end, function() return {1, 2, 3} end, function() return true end,
  function() return 2^53 end, function() return math.maxinteger end, function() return 1e300 end, function() return "i4" end}
local acc, errs = 0, 0
for _ = 1, 5000 do
  local f = fns[rnd(#fns) + 1]
  local a = {}
  local n = rnd(4)
  for i = 1, n do a[i] = args[rnd(#args) + 1]() end
  local r = table.pack(pcall(f[2], table.unpack(a, 1, n)))
  if not r[1] then errs = errs + 1 end
  acc = h(acc, f[1])
  for i = 1, math.min(r.n, 6) do acc = h(acc, r[i]) end
end
print(errs, acc)
