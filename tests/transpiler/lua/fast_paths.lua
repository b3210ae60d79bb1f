-- The shapes codegen computes in place (integer arithmetic, comparisons, first(),
-- o:m() through a class table, t[k] = v) against their fall-backs: wraparound at the
-- 64-bit bounds, floats, strings, metamethods, holes, __newindex, errors with names.
local max, min = math.maxinteger, math.mininteger
local one, two, half = 1, 2, 0.5
print(max + one, min - one, max * two, min * -1, max + 1, min - 1, 1 + max, -1 - max)
print(5 % 3, -5 % 3, 5 % -3, 5 // 2, -5 // 2, min // -1, 7 // two, 7 % two)
print(pcall(function() return one % 0 end))
print(pcall(function() return one // 0 end))
print(one + half, half * 4, half - 1, 1.5 + 2, "10" + one, one + "0x10", 3 & 5, 3 | two, 3 ~ 5)
print(one < two, two <= one, one > half, half >= 1, "a" < "b", 1 < 1.5, max < 2^63, min <= -2^63)
print(pcall(function() return one < "x" end))
print(pcall(function() local t = {} return t + one end))
local V = setmetatable({}, {__add = function(a, b) return "added" end,
                            __lt = function(a, b) return true end})
print(V + one, one + V, V < one, one < V, V > one, one >= V)
local Class = {}
Class.__index = Class
function Class.new(x) return setmetatable({x = x}, Class) end
function Class:get() return self.x end
function Class:two() return self.x, self.x * 2 end
local o = Class.new(21)
print(o:get(), (o:two()), o:two())
o.get = function() return "own" end
print(o:get())
local Sub = setmetatable({}, {__index = Class})
Sub.__index = Sub
local s = setmetatable({x = 5}, Sub)
print(s:get(), pcall(function() return s:missing() end))
print(pcall(function() local n = nil; return n:get() end))
local function none() end
local function many() return 1, 2, 3 end
print(none(), (many()), many())
local r = {x = nil, y = 1, x = 2}
print(r.x, r.y)
local t = {}
for i = 1, 5 do t[i] = i * 2 end
t[#t + 1] = 99
t[3] = nil
t[7] = 7; t[6] = 6
t.x = 1; t.x = nil; t.y = 2
local p = setmetatable({}, {__newindex = function(tt, k, v) rawset(tt, k, v * 10) end})
p[1] = 1; p.z = 2; p[1] = 5
for key, v in pairs(t) do t[key] = v end
print(pcall(function() local n = nil; n[1] = 2 end))
print(pcall(function() local n = {}; local key; n[key] = 2 end))
print(#t, t[1], t[3], t[6], t[7], t.x, t.y, p[1], p.z)
local f = 1.0
t[f] = "float"; print(t[1], math.type(f + one), math.type(two * 1.0))
-- t[i] reads and #t
local a = {10, 20, nil, 40}
local i0, i1, i3, i9, fk, sk = 0, 1, 3, 9, 2.0, "1"
print(a[i0], a[i1], a[i3], a[4], a[i9], a[fk], a[sk], #a)
local m = setmetatable({1}, {__index = function(_, k) return "idx" .. tostring(k) end,
                             __len = function() return 42 end})
print(m[i1], m[i3], m[2], #m)
local str = "hello"
print(#str, pcall(function() local n; return #n end))
print(pcall(function() local n; return n[i1] end))
-- % and // with operands of the wrong type: both operands are evaluated before the check
print(pcall(function() return (true) % (t) end))
print(pcall(function() local x = 1; return (x) % (nil) end))
print(pcall(function() return (one) // ({}) end))
