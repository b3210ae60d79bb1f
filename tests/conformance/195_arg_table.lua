-- the arg table and ... in the main chunk (command line: see 195_arg_table.args)
print(arg[0], #arg)
for i = 1, #arg do print(i, arg[i]) end
print(select("#", ...), ...)
local a, b = ...
print(a, b)
print(type(arg), arg[#arg + 1])
local packed = table.pack(...)
print(packed.n, packed[3])
