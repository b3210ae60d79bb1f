local nothing
print(pcall(function()
  local s = "a" ..
    "b" ..
    nothing
end))
print(pcall(function()
  local s = "a" ..
    nothing ..
    "b"
end))
print(pcall(function()
  local s = nothing ..
    "a"
end))
print(pcall(function()
  local s = "x" .. nothing
    .. "a" ..
    "b"
end))
print(pcall(function()
  local s = "x" ..
   nothing
end))
print(pcall(function()
  local s = 1 +
   2 +
   nothing
end))
print(pcall(function()
  local s = 1 +
   nothing +
   2
end))
