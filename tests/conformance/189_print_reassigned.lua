-- print and tostring are ordinary globals; print does not call the global tostring
local real_print = print
local lines = {}
print = function(...) lines[#lines + 1] = table.concat({...}, "+") end
print("a", "b")
print(1)
print = real_print
print(#lines, lines[1], lines[2])
local old_tostring = tostring
tostring = function(v) return "X" end
print(1, "s", nil)
tostring = old_tostring
local function shadow()
  local print = function(x) real_print("local print: " .. x) end
  print("hello")
end
shadow()
print("global print still works")
string.format = nil
print(pcall(function() return ("x"):format() end))
