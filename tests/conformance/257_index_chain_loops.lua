-- a loop of __index or __newindex tables is detected, not followed forever
local a = {}
setmetatable(a, {__index = a})
print(pcall(function() return a.x end))
local b, c = {}, {}
setmetatable(b, {__index = c}); setmetatable(c, {__index = b})
print(pcall(function() return b.missing end))
local d = {}
setmetatable(d, {__newindex = d})
print(pcall(function() d.x = 1 end))
local e = setmetatable({}, {__index = setmetatable({}, {__index = setmetatable({}, {__index = {found = "deep"}})})})
print(e.found)
local present = setmetatable({k = "here"}, {__index = a})
print(present.k)
