-- methods, metatables, varargs, table constructors, hostile names
local Stack = {}
Stack.__index = Stack
function Stack.new(...) return setmetatable({items = {...}, n = select("#", ...)}, Stack) end
function Stack:push(v) self.n = self.n + 1; self.items[self.n] = v; return self end
function Stack:pop() local v = self.items[self.n]; self.items[self.n] = nil; self.n = self.n - 1; return v end
local s = Stack.new(1, 2)
s:push("three"):push(4)
local None, class, self = s:pop(), s:pop(), "self"
print(None, class, self, s.n, #s.items, ("x"):rep(3, '"""'))
