-- this file has CRLF line endings; long strings normalise any newline sequence to \n
local s = [[line1
line2

line4]]
print(#s, (s:gsub("\n", "|")))
print(s:find("\r"))
local t = [==[
first newline skipped]==]
print(t, #t)
local mixed = [[a
bc]]
print(#mixed, (mixed:gsub("\n", "|")))
local short = "a\
b"
print(#short, short:byte(2))
print(pcall(function()
  local x = nil
  return x.y
end))
