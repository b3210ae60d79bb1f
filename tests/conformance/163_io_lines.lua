-- io.lines and file:lines
local name = os.tmpname()
local f = assert(io.open(name, "w"))
f:write("one\ntwo\n\nfour\n5 6 7")
f:close()
for l in io.lines(name) do io.write("[", l, "]") end
print()
for l in io.lines(name, "L") do io.write("<", l, ">") end
print()
for a, b in io.lines(name, 1, 2) do io.write(tostring(a), "|", tostring(b), " ") end
print()
f = assert(io.open(name))
local n = 0
for l in f:lines() do n = n + 1 end
print(n, io.type(f))
f:close()
f = assert(io.open(name))
f:read("l"); f:read("l"); f:read("l"); f:read("l")
for x in f:lines("n") do io.write(x, ";") end
print()
f:close()
local lok, lmsg = pcall(io.lines, name .. ".missing")
print(lok, (lmsg:gsub("'.*'", "'FILE'")))
local it = io.lines(name)
print(it(), it())
