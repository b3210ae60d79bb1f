-- identifiers that are keywords or builtins in Python are plain names in Lua
local None, True, False = 1, 2, 3
local class, def, lambda, import, from, is, pass, yield, async, await = "c", "d", "l", "i", "f", "is", "p", "y", "a", "w"
local self, len, str, int, list, dict, object, exec, eval, range = 4, 5, 6, 7, 8, 9, 10, 11, 12, 13
print(None, True, False, class, def, lambda, import, from, is, pass, yield, async, await)
print(self, len, str, int, list, dict, object, exec, eval, range)
__import__ = "global __import__"
print(__import__)
global, nonlocal, with, as, try, except, finally, raise, del, assert_ = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
print(global, nonlocal, with, as, try, except, finally, raise, del, assert_)
local t = {None = "n", class = "c", def = "d", __init__ = "i", __dict__ = "dd", keys = "k", items = "it", get = "g"}
print(t.None, t.class, t.def, t.__init__, t.__dict__, t.keys, t.items, t.get)
local function lambda_(lambda) return lambda end
print(lambda_(42))
local function def_(class, self) return class .. self end
print(def_("x", "y"))
_ = "underscore"
print(_)
local __name__, __file__, __builtins__ = "n", "f", "b"
print(__name__, __file__, __builtins__)
type_ = 1; id = 2; input = 3; open_ = 4; sum = 5; min_ = 6; map = 7; filter = 8; super = 9; object = 10
print(type_, id, input, sum, map, filter, super)
local obj = {}
function obj:class() return "method named class" end
function obj.None() return "field named None" end
print(obj:class(), obj.None())
