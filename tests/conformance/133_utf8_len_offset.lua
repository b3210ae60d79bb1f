-- utf8.len and utf8.offset
local s = "añ€😀z"
print(utf8.len(s), utf8.len(""), utf8.len("abc"), #s)
print(utf8.len(s, 3), utf8.len(s, 2, 2), utf8.len(s, -1), utf8.len(s, 1, -2))
print(utf8.len("a\xffb"), utf8.len("\xe2\x82"), utf8.len("ab\x80"))
print(pcall(utf8.len, s, 3.5))
print(pcall(utf8.len, s, 100))
print(utf8.offset(s, 1), utf8.offset(s, 2), utf8.offset(s, 3), utf8.offset(s, 4), utf8.offset(s, 5), utf8.offset(s, 6), utf8.offset(s, 7))
print(utf8.offset(s, -1), utf8.offset(s, -2), utf8.offset(s, -5), utf8.offset(s, -6))
print(utf8.offset(s, 0, 3), utf8.offset(s, 0, 5), utf8.offset(s, 0, 1))
print(utf8.offset(s, 2, 4))
print(pcall(utf8.offset, s, 1, 3))
print(pcall(utf8.offset, s, 1, 100))
print(utf8.len("\xed\xa0\x80"), utf8.len("\xed\xa0\x80", 1, -1, true))
