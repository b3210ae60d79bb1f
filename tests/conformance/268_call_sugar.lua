-- call syntax sugar: f"str", f[[long]], f{table}, obj:m"str", obj:m{...}
local function show(x) if type(x) == "table" then return "table#" .. #x .. (x.k and (" k=" .. x.k) or "") end return "string:" .. x end
print(show"plain", show[[long]], show{1, 2, 3}, show{k = "v"})
local obj = {tag = "obj"}
function obj:m(arg) return self.tag .. "/" .. show(arg) end
print(obj:m"s", obj:m{1}, obj:m[==[x]==])
local function curry(a) return function(b) return function(c) return a .. b .. c end end end
print(curry"a""b""c", curry[[x]]"y"[=[z]=])
local f = function(...) return select("#", ...) end
print(f"", f{}, f{nil})
print(type{}, #"abc", ("x"):rep(3), ({10, 20})[2], ({...})[1])
local g = print
g"called via local"
local t = setmetatable({}, {__call = function(self, s) return "called with " .. show(s) end})
print(t"sugar", t{1, 2})
local x = 1 --[[ inline comment ]] + 2
print(x)
local s = string.format
print(s("%d-%d", 1, 2), ("%s"):format"fmt")
print(load("local \195\169 = 1"))
print(load("local goto = 1"))
print(load("t.end = 1"))
print(load("return 1..2"))
