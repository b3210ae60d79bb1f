-- # of strings is the byte count; # of a sequence is its length (3.4.7)
print(#"", #"abc", #"a\0b", #"\xff\xfe")
local t = {}
print(#t)
for i = 1, 10 do t[i] = i end
print(#t)
t[#t] = nil
print(#t)
t[#t + 1] = "x"
print(#t)
print(#{1, 2, 3}, #{n = 1}, #{"a", "b", x = 1})
local function is_border(tab, n)
  return (n == 0 or tab[n] ~= nil) and tab[n + 1] == nil
end
local h = {1, 2, nil, 4}
print(is_border(h, #h))
local g = {}
g[1] = 1; g[2] = 2; g[4] = 4
print(is_border(g, #g))
local s = {}
for i = 1, 100 do s[i] = i end
for i = 100, 51, -1 do s[i] = nil end
print(#s)
print(#table.pack(1, 2, 3))
