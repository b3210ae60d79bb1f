-- scoping corner cases
local a, a = 1, 2
print(a)
local f = function() return a end
local a = 3
print(f(), a)
local function g() return "first g" end
local h = g
local function g() return "second g" end
print(h(), g())
local function rec(n) if n == 0 then return "rec done" end return rec(n - 1) end
local rec2 = rec
rec = nil
print(pcall(rec2, 3))
local t = {}
function t.recur(n) if n == 0 then return "t done" end return t.recur(n - 1) end
print(t.recur(3))
print(load("repeat goto cont; local x; ::cont:: until x"))
print(load("repeat local x; goto cont; ::cont:: until x") ~= nil)
local x = 10
do
  local x = x + 1
  do
    local x = x * 2
    print(x)
  end
  print(x)
end
print(x)
for i = 1, 2 do
  local i = i + 100
  print(i)
end
local s = 0
for _, v in ipairs({1, 2, 3}) do local v = v * 10; s = s + v end
print(s)
local up = 0
local function inc() up = up + 1 end
for _ = 1, 3 do local up = 100; inc() end
print(up)
