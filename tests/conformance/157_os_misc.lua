-- os.difftime, os.clock, os.getenv
print(os.difftime(10, 5), os.difftime(5, 10), math.type(os.difftime(10, 5)))
print(os.difftime(1700000000, 0))
print(pcall(os.difftime))
print(type(os.clock()), math.type(os.clock()), os.clock() >= 0)
print(os.getenv("HOME") ~= nil, type(os.getenv("HOME")))
print(os.getenv("NSE_CONFORMANCE_SURELY_UNSET_VARIABLE"))
print(pcall(os.getenv))
local c1 = os.clock()
local x = 0
for i = 1, 100000 do x = x + i end
print(os.clock() >= c1, x)
