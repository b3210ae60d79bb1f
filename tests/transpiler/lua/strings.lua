print("\65\066\x41\u{48}\u{7FF}\z
      x\
y", '\'', "\"", "tab\tend", "\\")
print(#"\u{7FFFFFFF}", #"\u{800}", #"\xff\0\1", ("\0"):byte())
print([[
first newline skipped]], [==[a]]b]==], #[[

]])
local s = "hello"
print(s:upper(), ("x"):rep(3), s:sub(2, 3), #s, s:byte(1, -1))
print(("%d-%d"):format(1, 2), ("abc"):len())
print("a" .. "b" .. 1 .. 2.0 .. "c")
local hostile = '"""' .. "'''" .. "\n" .. "\\n" .. "__import__('os')"
print(hostile)
print(string.format("%q", "\xff\0\r\n\"\\"))
print(("\xe9\xff"):byte(1, 2))
print("x" < "y", "\xff" > "a")
