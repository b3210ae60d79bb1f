-- / always produces a float
local function show(v) print(v, math.type(v)) end
show(4 / 2)
show(1 / 2)
show(7 / 7)
show(-9 / 3)
show(1 / 0)
show(-1 / 0)
show(1 / -0.0)
show(math.maxinteger / 1)
show(math.mininteger / -1)
show(2^63 / 2)
show(1 / 3)
show(10 / 4.0)
show("9" / 3)
local nan = 0 / 0
print(nan ~= nan, nan == nan)
print(string.format("%.1f", 1 / 0), string.format("%.1f", -1 / 0))
