-- more Python keywords and soft keywords used as Lua names of every kind
local continue, elif, match, case, type_, assert_ = "c", "e", "m", "k", "t", "a"
print(continue, elif, match, case, type_, assert_)
local function yield(async, await) return async .. await end
print(yield("x", "y"))
nonlocal = "global nonlocal"; lambda = function(x) return x * 2 end
print(nonlocal, lambda(21))
local obj = {continue = 1, elif = 2, ["finally"] = 3, pass = function(self) return "pass method" end}
print(obj.continue, obj.elif, obj.finally, obj:pass())
for continue = 1, 2 do io.write(continue, " ") end print()
for match, case in pairs({10}) do print(match, case) end
local function f(...) local raise, try, except = ...; return raise, try, except end
print(f("r", "t", "e"))
do goto elif ::elif:: end
do goto pass ::pass:: end
print("labels named like Python keywords")
local True, False, None = false, true, "none"
print(True, False, None, not True)
local __class__, __init__, __dict__, __slots__ = 1, 2, 3, 4
print(__class__ + __init__ + __dict__ + __slots__)
local t = setmetatable({}, {__index = function(_, k) return "field " .. k end})
print(t.__class__, t.__dict__, t.__getattr__, t.keys, t.values, t.items, t.get)
