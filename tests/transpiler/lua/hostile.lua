-- Lua identifiers that are Python keywords, builtins or special names
local None, True, False, class, def, self, lambda, import, pass, is = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
print(None, True, False, class, def, self, lambda, import, pass, is)
local __import__, __name__, __builtins__, __class__ = "a", "b", "c", "d"
print(__import__, __name__, __builtins__, __class__)
local print_ = print
local type, len, range, str, int, list, dict, object, exec, eval = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
print_(type, len, range, str, int, list, dict, object, exec, eval)
local first, mv, index, setindex, invoke, add, concat, varargs, chunk, main, _ENV2 = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
print_(first, mv, index, setindex, invoke, add, concat, varargs, chunk, main, _ENV2)
local _t, _r0, _va, _g, _, __ = "t", "r0", "va", "g", "u", "uu"
print_(_t, _r0, _va, _g, _, __)
local function with(yield, async, await, nonlocal, global)
  return yield, async, await, nonlocal, global
end
print_(with(1, 2, 3, 4, 5))
for from, raise in pairs({x = 1}) do print_(from, raise) end
local t = {None = 1, class = 2, ["__init__"] = 3}
print_(t.None, t.class, t.__init__)
print = 1
print_(print)
print = print_
print("restored")
local function f(...) local varargs = 5 return varargs, ... end
print(f(1, 2))
local s = '"""\'\'\'\n\\'
print(s, #s)
