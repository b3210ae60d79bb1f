-- table.move copies ranges, handles overlap
local function s(t, n) local o = {} for i = 1, n do o[i] = tostring(t[i]) end return table.concat(o, ",") end
local t = {1, 2, 3, 4, 5}
table.move(t, 2, 4, 1)
print(s(t, 5))
t = {1, 2, 3, 4, 5}
table.move(t, 1, 3, 3)
print(s(t, 5))
local dst = {}
print(table.move({1, 2, 3}, 1, 3, 2, dst) == dst, s(dst, 4))
t = {1, 2, 3}
print(table.move(t, 1, 0, 5) == t, s(t, 3))
print(pcall(table.move, {}, 1, math.maxinteger, 2))
print(pcall(table.move, {1}, 1, 1))
local log = {}
local p = setmetatable({}, {__index = function(_, k) return k * 10 end, __newindex = function(_, k, v) log[#log + 1] = k .. "=" .. v end})
table.move(p, 1, 3, 5, p)
print(table.concat(log, " "))
