-- removing while iterating backwards; compacting arrays
local t = {}
for i = 1, 20 do t[i] = i end
for i = #t, 1, -1 do if t[i] % 3 == 0 then table.remove(t, i) end end
print(#t, table.concat(t, ","))
local j = 1
local u = {1, 2, 3, 4, 5, 6, 7, 8}
for i = 1, #u do
  if u[i] % 2 == 0 then u[j] = u[i]; j = j + 1 end
end
for i = #u, j, -1 do u[i] = nil end
print(#u, table.concat(u, ","))
local q = {"a", "b", "c"}
while #q > 0 do io.write(table.remove(q, 1)) end
print()
local s = {}
for i = 1, 5 do s[#s + 1] = i end
s[#s] = nil; s[#s] = nil
print(#s, s[3], s[4])
