-- the table library goes through __index/__newindex/__len (5.4)
local backing = {}
local log = {}
local proxy = setmetatable({}, {
  __index = function(_, k) return backing[k] end,
  __newindex = function(_, k, v) log[#log + 1] = tostring(k); backing[k] = v end,
  __len = function() return #backing end,
})
table.insert(proxy, "a")
table.insert(proxy, "b")
table.insert(proxy, 1, "z")
print(table.concat(proxy, ","), #proxy, table.concat(log, " "))
print(table.remove(proxy), table.concat(backing, ","))
print(table.unpack(proxy))
