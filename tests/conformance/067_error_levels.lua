-- error levels point at the function that called error, its caller, ...
local function lvl1() error("level1", 1) end
local function lvl2() error("level2", 2) end
local function lvl3() error("level3", 3) end
local function call2() lvl2() end
local function call3() local function inner() lvl3() end inner() end
print(pcall(lvl1))
print(pcall(call2))
print(pcall(call3))
local function check(x)
  if type(x) ~= "number" then error("expected number, got " .. type(x), 2) end
  return x
end
local function user() return check("s") end
print(pcall(user))
print(pcall(error, "direct", 1))
print(pcall(error, "direct2", 2))
