-- only nil and false are false
local vals = {0, 0.0, "", "false", {}, false, true, -1}
for i = 1, 8 do
  local v = vals[i]
  print(i, type(v), v and "truthy" or "falsy", not v)
end
print(nil and 1, false and 1, 1 and 2, 1 and nil)
print(nil or 1, false or nil, 1 or error("never"), nil or false)
print(not nil, not 0, not not nil, not not 0)
if 0 then print("0 is true") end
if "" then print("empty string is true") end
local x = nil
print(x == nil, x == false, (x or "default"))
