-- %q produces a string that Lua reads back
print(string.format("%q", 'he said "hi"\n'))
print(string.format("%q", "tab\there\0zero\1one\0019\r\\"))
print(string.format("%q", "\200\255"))
print(string.format("%q", 42), string.format("%q", -7))
print(string.format("%q", 0.1), string.format("%q", 1.5), string.format("%q", -0.0))
print(string.format("%q", math.mininteger), string.format("%q", math.maxinteger))
print(string.format("%q", 1/0), string.format("%q", -1/0), string.format("%q", 0/0))
print(string.format("%q", true), string.format("%q", nil), string.format("%q", false))
print(pcall(string.format, "%q", {}))
print(pcall(string.format, "%10q", "x"))
local s = "line1\nline2\127\27"
print(load("return " .. string.format("%q", s))() == s)
print(string.format("%q", 2^63))
