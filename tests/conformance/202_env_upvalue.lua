-- _ENV is an upvalue/local like any other (2.2)
local function sandbox(code)
  local env = {print = print, tostring = tostring}
  local f = load(code, "sandbox", "t", env)
  f()
  return env
end
local env = sandbox("a = 1; b = a + 1; print(a, b, c)")
print(env.a, env.b, a, b)
local function run()
  local _ENV = {x = "from local _ENV"}
  return x
end
print(run())
local function setglobal(_ENV, v) newvar = v end
local box = {}
setglobal(box, 5)
print(box.newvar, newvar)
local _ENV = setmetatable({}, {__index = _G, __newindex = function(t, k, v) rawset(t, k, v .. "!") end})
g1 = "value"
print(g1, rawget(_G, "g1"))
