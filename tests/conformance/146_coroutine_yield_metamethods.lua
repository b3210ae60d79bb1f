-- yield from inside metamethods: __index, __newindex, __lt, __le, __eq, __add, __concat, __call, __len
local mt = {
  __index = function(t, k) return coroutine.yield("index " .. k) end,
  __newindex = function(t, k, v) rawset(t, k, coroutine.yield("newindex " .. k)) end,
  __lt = function(a, b) return coroutine.yield("lt") end,
  __le = function(a, b) return coroutine.yield("le") end,
  __eq = function(a, b) return coroutine.yield("eq") end,
  __add = function(a, b) return coroutine.yield("add") end,
  __concat = function(a, b) return coroutine.yield("concat") end,
  __call = function(self, x) return coroutine.yield("call " .. x) end,
  __len = function() return coroutine.yield("len") end,
}
local a, b = setmetatable({}, mt), setmetatable({}, mt)
local co = coroutine.wrap(function()
  local r = {}
  r[#r + 1] = a.foo
  a.bar = 1
  r[#r + 1] = rawget(a, "bar")
  r[#r + 1] = a < b
  r[#r + 1] = a <= b
  r[#r + 1] = a == b
  r[#r + 1] = a + 1
  r[#r + 1] = a .. "s"
  r[#r + 1] = a("arg")
  r[#r + 1] = #a
  for i = 1, #r do r[i] = tostring(r[i]) end
  return "results: " .. table.concat(r, ",")
end)
print(co())
print(co("FOO"))
print(co("BAR"))
print(co(true))
print(co(false))
print(co(1))
print(co(99))
print(co("CAT"))
print(co("CALLED"))
print(co(7))
