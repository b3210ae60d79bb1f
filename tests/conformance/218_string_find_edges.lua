-- find/match/gmatch at the edges of the subject
print(("abc"):find("", 4), ("abc"):find("", 5), ("abc"):find("c", 3), ("abc"):find("c", 4))
print(("abc"):match(".", 4), ("abc"):match("$", 4), (""):match(".*"), (""):find(".-"))
print(("abc"):sub(4) == "", ("abc"):byte(4))
print(("aaa"):gsub("a*", "-"), ("abc"):gsub(".-", "-"))
print(("hello world"):find("o w"), ("hello"):find("l+"))
print(("x"):rep(3, ""), ("ab"):rep(2, "ab"))
print(("a.b.c"):gsub("%.", "%%"))
print(string.find("abc", "[a-", 1, true), pcall(string.find, "abc", "[a-"))
