local G = _G
local print = print
_ENV = setmetatable({}, {__index = G})
x = 5
print(x, G.x)
local function f() return y end
y = 7
print(f(), rawget(_ENV, "y"), G.y)
local function setenv() _ENV = {print = print, tag = "new"} end
setenv()
print(tag)
local function m(name)
  local _ENV = {print = print, name = name}
  function hello() return "hello " .. name end
  return _ENV
end
local mod = m("w")
print(mod.hello(), G.hello)
local print = print
local _ENV <const> = {}
x = 1
print(x, _ENV.x)
