-- __index as a table: lookups go to the other table when the key is absent
local base = {greet = "hello", n = 1}
local derived = setmetatable({n = 2}, {__index = base})
print(derived.greet, derived.n, rawget(derived, "greet"))
local third = setmetatable({}, {__index = derived})
print(third.greet, third.n, third.missing)
base.late = "added later"
print(third.late)
derived.greet = "hi"
print(third.greet, base.greet)
local defaults = setmetatable({}, {__index = {x = 0, y = 0}})
defaults.x = 5
print(defaults.x, defaults.y)
