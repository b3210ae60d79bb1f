-- ipairs stops at the first nil and respects __index (5.4)
local t = {1, 2, nil, 4}
local n = 0
for i, v in ipairs(t) do n = i end
print(n)
local proxy = setmetatable({}, {__index = function(_, i) if i <= 5 then return i * 10 end end})
local out = {}
for i, v in ipairs(proxy) do out[#out + 1] = v end
print(table.concat(out, ","))
local f, s, i = ipairs({})
print(type(f), type(s), i)
print(f({"a"}, 0))
print(f({"a"}, 1))
