-- coroutine.isyieldable inside callbacks: false where lua5.4 could not yield
local results = {}
local function note(label) results[#results + 1] = label .. "=" .. tostring(coroutine.isyieldable()) end
local co = coroutine.wrap(function()
  note("body")
  pcall(function() note("pcall") end)
  table.sort({2, 1}, function(a, b) note("sort"); return a < b end)
  string.gsub("a", "a", function() note("gsub") end)
  local t = setmetatable({}, {__index = function() note("__index"); return 1 end,
    __tostring = function() note("__tostring"); return "" end})
  local _ = t.x
  tostring(t)
  for _ in function(s, c) if not c then note("iterator"); return 1 end end do end
  load(function() note("load reader") end)
  coroutine.wrap(function() note("nested coroutine") end)()
  return table.concat(results, " ")
end)
print(co())
note("main")
print(results[#results])
