-- next
print(next({}))
print(next({}, nil))
print(next({10}))
print(next({10}, 1))
local t = {a = 1}
local k, v = next(t)
print(k, v, next(t, k))
print(pcall(next))
print(pcall(next, {}, "nokey"))
local n = 0
for k, v in next, {1, 2, 3, x = 4} do n = n + 1 end
print(n)
print(type(next), next == pairs({}))
