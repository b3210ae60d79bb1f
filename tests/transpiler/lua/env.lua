x = 10
print(x, _ENV.x, _G.x)
local function setg() y = 20 end
setg()
print(y)
do
  local _ENV = {print = print}
  z = 5
  print(z, x)
end
print(z, x)
local function withenv()
  local _ENV = setmetatable({}, {__index = _G})
  w = 1
  return w, _G.w
end
print(withenv())
print(rawget(_G, "x"))
setmetatable(_G, {__index = function(_, k) return "missing " .. k end})
print(undefinedvar)
setmetatable(_G, nil)
local env = {}
local f = load("a = 1; return a", "chunk", "t", env)
print(f(), env.a, a)
