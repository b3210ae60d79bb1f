-- numbers given to the string library as patterns and replacements
print(("abc"):gsub("b", 5), string.gsub(12321, 2, 9), ("a1"):gsub("%d", 2.5))
print(("abc"):find(98), ("x1.5y"):match(1.5), string.rep(1, 3, 0))
print(("abc"):gsub("(b)", {b = 7}), ("abc"):gsub("b", function() return 8.0 end))
print(pcall(string.gsub, "abc", "b", {b = true}))
