-- unbounded recursion is a catchable "stack overflow" error
local function inf(n) return 1 + inf(n + 1) end
local ok, msg = pcall(inf, 1)
print(ok, type(msg), string.find(msg, "stack overflow") ~= nil)
local t = setmetatable({}, {})
getmetatable(t).__index = function(tab, k) return tab[k .. "x"] end
ok, msg = pcall(function() return t.a end)
print(ok, type(msg) == "string" and string.find(msg, "stack overflow") ~= nil)
print("still running", select("#", pcall(inf, 1)))
