-- shadowing inside loops & closures
local x = 1
local fs = {}
for i = 1, 3 do
  local x = x + i
  fs[i] = function() x = x + 100; return x end
end
print(fs[1](), fs[1](), fs[2](), x)
-- while with closure capturing loop-local, break inside nested function call
local i = 0
local gs = {}
while true do
  i = i + 1
  local j = i
  gs[#gs+1] = function() return j end
  if i >= 3 then break end
end
print(gs[1](), gs[2](), gs[3]())
-- repeat with closure in until
local k = 0
local hs = {}
repeat
  k = k + 1
  local kk = k * 2
  hs[k] = function() return kk end
until (function() return kk >= 6 end)()
print(hs[1](), hs[3](), #hs)
-- nested functions assigning outer locals at different depths
local a = 0
local function outer()
  local b = 0
  local function mid()
    local function inner() a = a + 1; b = b + 10; return a, b end
    return inner()
  end
  return mid()
end
print(outer(), outer())
-- local declared after closure creation is not captured
local f1 = function() return yy end
local yy = 5
print(f1())
-- parameters shadowing
local function p(p) return p end
print(p(3))
local function q(a, a2, ...) local a = a or "dflt" return a, a2, select("#", ...) end
print(q(nil, 2, nil, nil))
-- semicolons & empty statements
;;; local z = 1; ; print(z);
-- method on number literal via string? 
print(("%5.2f"):format(3.14159))
-- nested varargs table
local function v(...) local t = {...} return #t, ... end
print(v(1, nil, 3))
print((v(1, 2)))
-- and/or chains
local n = nil
print(n and n.x or "n nil", false or nil and 1, 1 and 2 or 3, nil or false or 0)
print(not nil == true, not (1 == 2), 1 < 2 == true)
-- comparison chain results
local c = 1 < 2 and 2 < 3
print(c, 1 == 1 ~= false)
-- assignment to vararg? (locals from ...)
local function w(...) local a, b = ... ; a = a or 0; return a + (b or 0) end
print(w(), w(1), w(1, 2))
-- long string with levels & nested brackets
print([==[a]]b]=]c]==])
-- integer vs float keys
local t = {}
t[1] = "i"; t[1.0] = "f"; t[2^53] = "big"
print(t[1], #t, t[2^53])
-- numeric for with large step overflow
local cnt = 0
for i = math.maxinteger - 5, math.maxinteger, 4 do cnt = cnt + 1 end
print(cnt)
for i = math.mininteger, math.mininteger + 10, 7 do io.write(i, " ") end print()
-- goto continue inside nested while with closure
local out = {}
local idx = 0
while idx < 5 do
  idx = idx + 1
  local captured = idx
  if idx % 2 == 0 then goto continue end
  out[#out+1] = function() return captured end
  ::continue::
end
print(#out, out[1](), out[2](), out[3]())
