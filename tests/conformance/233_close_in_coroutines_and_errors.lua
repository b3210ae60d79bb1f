-- to-be-closed variables in coroutines, with errors in __close
local log = {}
local function res(name) return setmetatable({}, {__close = function(_, e) log[#log + 1] = name .. ":" .. tostring(e) end}) end
local co = coroutine.wrap(function()
  local a <close> = res("a")
  coroutine.yield(1)
  local b <close> = res("b")
  return 2
end)
print(co(), co(), table.concat(log, " "))
log = {}
print(pcall(function()
  local x <close> = res("x")
  local y <close> = setmetatable({}, {__close = function() error("y fails", 0) end})
  local z <close> = res("z")
  return "body ok"
end))
print(table.concat(log, " "))
log = {}
local eok, eval = pcall(function()
  local x <close> = res("x")
  error({}, 0)
end)
print(eok, type(eval))
print(log[1]:match("^x:table: ") ~= nil)
