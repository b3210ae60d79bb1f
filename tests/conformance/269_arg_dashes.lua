-- command-line arguments that look like options reach the script unchanged (see .args)
print(#arg, select("#", ...))
for i = 1, #arg do print(i, "[" .. arg[i] .. "]", #arg[i]) end
print(arg[0])
