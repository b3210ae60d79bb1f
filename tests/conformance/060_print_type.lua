-- print separates with tabs and ends with a newline; type names
print()
print(nil)
print(1, nil, 3)
print("a", "b", "c")
print(1, 2.5, true, false, "s")
print(type(nil), type(true), type(1), type(1.5), type("s"), type({}), type(print),
  type(function() end), type(coroutine.create(function() end)), type(io.stdout))
print(pcall(type))
print(type(type), type(type(nil)))
print(select("#", print()))
