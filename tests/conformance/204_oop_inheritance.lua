-- classes with metatables and inheritance
local Animal = {}
Animal.__index = Animal
function Animal.new(name, sound) local o = setmetatable({}, Animal); o.name = name; o.sound = sound; return o end
function Animal:speak() return self.name .. " says " .. self.sound end
function Animal:kind() return "animal" end
local Dog = setmetatable({}, {__index = Animal})
Dog.__index = Dog
function Dog.new(name) local o = Animal.new(name, "woof"); return setmetatable(o, Dog) end
function Dog:kind() return "dog, a kind of " .. Animal.kind(self) end
function Dog:fetch() return self.name .. " fetches" end
local a, d = Animal.new("cat", "meow"), Dog.new("rex")
print(a:speak(), a:kind())
print(d:speak(), d:kind(), d:fetch())
print(getmetatable(d) == Dog, getmetatable(Dog).__index == Animal, rawget(d, "speak"))
print(pcall(function() return a:fetch() end))
local Stack = {}
Stack.__index = Stack
Stack.__len = function(s) return #s.items end
Stack.__tostring = function(s) return "Stack(" .. table.concat(s.items, ",") .. ")" end
function Stack.new() return setmetatable({items = {}}, Stack) end
function Stack:push(v) self.items[#self.items + 1] = v; return self end
function Stack:pop() return table.remove(self.items) end
local s = Stack.new():push(1):push(2):push(3)
print(#s, tostring(s), s:pop(), #s)
