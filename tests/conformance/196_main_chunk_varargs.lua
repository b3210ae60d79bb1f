-- without command-line arguments the main chunk's ... is empty
print(select("#", ...))
print(#arg, arg[0])
local function f(...) return select("#", ...) end
print(f(...))
return "main chunk return values are ignored"
