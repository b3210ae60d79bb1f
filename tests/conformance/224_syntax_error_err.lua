-- a program with a syntax error prints nothing
print("this line is never run")
local x = = 1
