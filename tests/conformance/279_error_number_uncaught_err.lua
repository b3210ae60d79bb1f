-- an uncaught error with a number value, raised from a nested function
local function fail() error(42) end
print("raising a number")
fail()
