-- _G, _ENV and globals
print(_G._G == _G, _ENV == _G)
x = 1
print(_G.x, _ENV.x, rawget(_G, "x"))
_G.y = 2
print(y)
do
  local _ENV = {print = print, z = "local env"}
  print(z, x)
  w = "into local env"
  print(w, _ENV.w)
end
print(w, _G.w)
local function with_env(_ENV) return a + b end
print(with_env({a = 1, b = 2}))
local saved = _ENV
local function getx() return x end
print(getx())
_G.undefined_global = nil
print(undefined_global)
print(_VERSION)
print(type(_G.string), _G.string == string, _G.print == print)
