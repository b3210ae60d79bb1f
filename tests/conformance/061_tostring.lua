-- tostring of every kind of value
print(tostring(1), tostring(-1), tostring(1.0), tostring(-0.0), tostring(1e100))
print(tostring("str"), tostring(true), tostring(nil))
print(tostring({}):match("^table: 0?x?%x+$") ~= nil)
print(tostring(print):match("^function: ") ~= nil)
print(tostring(function() end):match("^function: ") ~= nil)
print(tostring(coroutine.create(print)):match("^thread: ") ~= nil)
print(tostring(io.stdout):match("^file %(") ~= nil)
local t = {}
print(tostring(t) == tostring(t), tostring(t) ~= tostring({}))
print(pcall(tostring))
print(tostring(1, 2))
