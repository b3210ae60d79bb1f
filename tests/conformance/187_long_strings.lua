-- long brackets with levels; the first newline is skipped (3.1)
print([[simple]])
print([[
skipped first newline]])
print([==[contains ]] and ]=] inside]==])
print([[a\nb]], #[[a\nb]])
print([=[
]=] == "", [[

]] == "\n")
local s = [[
line1
line2
]]
print(#s, s)
--[[ long
comment ]] print("after long comment")
--[==[ comment with ]] inside ]==] print("after level-2 comment")
---[[ this is a line comment
print("line comment trick")
--]]
print([[crlf]] == "crlf", [[tab	inside]])
print([=[[[nested]]]=])
print(load("return [==[ unfinished ]=]"))
