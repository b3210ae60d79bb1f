-- colon definitions add self; dot calls must pass it explicitly
local obj = {n = 1}
function obj:get() return self.n end
function obj.static(x) return x end
print(obj:get(), obj.get(obj), obj.get({n = 2}), obj.static(3))
print(pcall(obj.get))
local mt = {__index = {describe = function(self) return "I am " .. self.name end}}
local a = setmetatable({name = "a"}, mt)
print(a:describe(), a.describe(a), a.describe({name = "other"}))
local nested = {inner = {value = 9}}
function nested.inner:read() return self.value end
print(nested.inner:read())
local s = "method on string"
print(s:len(), ("%s!"):format(s:upper():sub(1, 6)))
local function varm(self, ...) return select("#", ...) end
obj.varm = varm
print(obj:varm(), obj:varm(nil), obj:varm(1, 2, 3))
