-- table keys named like Python special methods and LuaTable attributes are plain keys
local t = {}
t.__class__ = 1; t.__dict__ = 2; t.meta = 3; t.from_list = 4; t.__len__ = 5; t.__call__ = 6; t.__getitem__ = 7; t.hash = 8; t.arr = 9; t.n = 10; t.__index = 11; t.__eq__ = 12; t.__hash__ = 13; t.__iter__ = 14; t.__bool__ = 15; t.__class_getitem__ = 16
local ks = {}
for k, v in pairs(t) do ks[#ks + 1] = k .. "=" .. v end
table.sort(ks)
print(table.concat(ks, " "))
print(#t, t.meta, t.__len__, t.__bool__, type(t), t == t, next(t) ~= nil)
if t then print("truthy") end
local e = {}
if e then print("empty table truthy") end
local u = {__len__ = function() return 99 end}
print(#u, rawlen(u))
