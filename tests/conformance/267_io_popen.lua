-- io.popen reads a command's output; close reports how it ended
local p = io.popen("echo hello; echo world")
print(io.type(p), p:read("l"), p:read("a"))
print(p:close())
local q = io.popen("exit 3")
print(q:read("a"), q:close())
local r = io.popen("printf 'a\\nb\\n'", "r")
for l in r:lines() do io.write("[", l, "]") end
print()
print(r:close())
local w = io.popen("cat > /dev/null", "w")
print(w:write("data") == w, w:close())
print(pcall(io.popen, "true", "x"))
