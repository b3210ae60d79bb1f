-- booleans are not numbers: true is not 1 and false is not 0 (anywhere)
print(true == 1, false == 0, 1 == true, 0 == false, true ~= 1)
local t = {}
t[1] = "one"; t[true] = "true"; t[0] = "zero"; t[false] = "false"
print(t[1], t[true], t[0], t[false], #t)
local n = 0
for k, v in pairs(t) do n = n + 1 end
print(n)
print(math.type(true), type(true), tonumber(true), tostring(false))
local function try(f) local ok, msg = pcall(f); print(ok, msg) end
try(function() return true + 1 end)
try(function() return 1 - false end)
try(function() return true & 1 end)
try(function() return -true end)
try(function() return 1 < true end)
try(function() return true .. "" end)
try(function() return ("x"):rep(true) end)
try(function() return string.format("%d", true) end)
try(function() return math.max(true, 1) end)
try(function() return string.char(true) end)
try(function() for i = true, 2 do end end)
try(function() return #true end)
print(select("#", true, false), ({true, false})[2], #{true, false, true})
print(string.format("%s %s %q", true, false, true))
local s = {false, true, false}
local c = 0
for i, v in ipairs(s) do c = c + 1 end
print(c, rawequal(true, 1), rawequal(false, false))
print(table.concat({1, 2}, ",", 1, 2), pcall(table.concat, {true}))
