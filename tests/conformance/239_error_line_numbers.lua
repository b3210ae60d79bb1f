-- the line reported for errors in expressions and calls that span several lines
local function try(f) local ok, msg = pcall(f); print(msg) end
local nothing
try(function()
  local x = 1 +
    nothing
  return x
end)
try(function()
  return nothing
    .field
end)
try(function()
  nothing(
    1,
    2
  )
end)
try(function()
  local t = {}
  t.a.b
    .c = 1
end)
try(function()
  local s = "a" ..
    "b" ..
    nothing
end)
try(function()
  error("explicit")
end)
try(function()
  local t = setmetatable({}, {__index = function(t, k)
    error("from __index " .. k)
  end})
  return t.key
end)
try(function()
  local v = {}
  return #nothing
end)
try(function() assert(false, "assert message") end)
try(function() assert(nothing) end)
