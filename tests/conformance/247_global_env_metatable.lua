-- a metatable on _G (the "strict mode" idiom) sees reads and writes of absent globals
existing = 1
local reads, writes = {}, {}
setmetatable(_G, {
  __index = function(_, k) reads[#reads + 1] = k; return "default-" .. k end,
  __newindex = function(t, k, v) writes[#writes + 1] = k; rawset(t, k, v) end,
})
print(existing, missing_one, missing_two)
existing = 2
fresh = 3
fresh = 4
print(existing, fresh, table.concat(reads, ","), table.concat(writes, ","))
local function f() return another_missing end
print(f(), f())
print(#reads)
setmetatable(_G, {__index = function(_, k) error("undefined global " .. k, 2) end})
print(pcall(function() return not_defined end))
setmetatable(_G, nil)
print(not_defined)
