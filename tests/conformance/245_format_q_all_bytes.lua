-- %q quotes every byte so that load() reads back the same string
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
local s = table.concat(all)
local q = string.format("%q", s)
print(#q, load("return " .. q)() == s)
print(string.format("%q", "\r\n\0" .. "1\0002\t"))
local lines = {}
for i = 0, 31 do lines[#lines + 1] = string.format("%q", string.char(i) .. "9") end
print(table.concat(lines, " "))
print(string.format("%q", "\127\128\255"):byte(1, -1))
