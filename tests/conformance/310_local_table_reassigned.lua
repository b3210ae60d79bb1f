-- a local that starts as a plain table may later hold something else
local hits = {}
local mt = {__newindex = function(t, k, v) hits[#hits + 1] = k; rawset(t, k, v) end,
            __index = function(t, k) return "default " .. k end}
local t = {}
t.a = 1
t = setmetatable({}, mt)
t.b = 2
print(table.concat(hits, ","), t.a, t.b)
hits = {}
local u = {}
local function swap() u = setmetatable({}, mt) end
u.x = 1
swap()
u.y = 2
print(table.concat(hits, ","), u.x, u.y)
hits = {}
for i = 1, 3 do
  local v = {}
  if i == 2 then v = setmetatable({}, mt) end
  v.k = i
  v[1] = i
end
print(table.concat(hits, ","))
local s = {}
s = "now a string"
print(pcall(function() s.x = 1 end))
local n = {}
n = nil
print(pcall(function() n.x = 1 end))
local w = {}
local function replace(tab) w = tab end
replace(setmetatable({}, {__newindex = function() error("read only", 2) end}))
print(pcall(function() w.z = 1 end))
