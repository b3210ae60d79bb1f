-- method lookup must see classes and instances change at run time
local Class = {}
Class.__index = Class
function Class:name() return "class method" end
local obj = setmetatable({}, Class)
local results = {}
for round = 1, 6 do
  if round == 2 then function Class:name() return "redefined" end end
  if round == 3 then obj.name = function() return "instance override" end end
  if round == 4 then obj.name = nil end
  if round == 5 then Class.__index = {name = function() return "new index table" end} end
  if round == 6 then setmetatable(obj, {__index = function(_, k) return function() return "index function for " .. k end end}) end
  results[#results + 1] = obj:name()
end
print(table.concat(results, " | "))
local Base = {greet = function() return "base" end}
local Mid = setmetatable({}, {__index = Base})
local leaf = setmetatable({}, {__index = Mid})
print(leaf.greet())
Mid.greet = function() return "mid" end
print(leaf.greet())
Mid.greet = nil
Base.greet = nil
print(leaf.greet, pcall(function() return leaf:greet() end))
local t = {}
for i = 1, 3 do t[i] = i end
print(t[2])
setmetatable(t, {__index = function(_, k) return "meta" .. k end})
t[2] = nil
print(t[2], t[3], t[4])
