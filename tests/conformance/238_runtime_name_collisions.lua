-- Lua names that a Lua-to-Python translation might also use for its own helpers
local add, sub, mul, div, mod, idiv, pow, unm = 1, 2, 3, 4, 5, 6, 7, 8
local band, bor, bxor, shl, shr, bnot = 9, 10, 11, 12, 13, 14
local concat, length, eq, ne, lt, le, gt, ge = "c", "l", "e", "n", "lt", "le", "gt", "ge"
local index, setindex, invoke, first, mv, truth, type_ = "i", "s", "v", "f", "m", "t", "ty"
local LuaTable, LuaError, chunk, varargs, args, result, tmp = "T", "E", "ch", "va", "ar", "re", "tm"
print(add + sub * mul - div / mod + idiv // pow - unm)
print(band | bor ~ bxor & shl << 1 >> shr, ~bnot)
print(concat .. length .. eq .. ne .. lt .. le .. gt .. ge)
print(index, setindex, invoke, first, mv, truth, type_, LuaTable, LuaError, chunk, varargs, args, result, tmp)
local t = {x = 1}
t.x = t.x + add
print(t.x, #concat, concat < length, (add > sub) == false)
local function f(index, setindex, ...) return index .. setindex, select("#", ...) end
print(f("a", "b", "c"))
local obj = {}
function obj:invoke(first) return first end
print(obj:invoke("method"))
local _, __, ___ = 1, 2, 3
print(_ + __ + ___)
local function rt() return "rt" end
local function ops() return "ops" end
print(rt(), ops())
local nse, sys, os_, math_ = "nse", "sys", "os", "math"
print(nse, sys, os_, math_, math.pi > 3, os.time() > 0)
local str, len, int, float, bool, list, dict, tuple, object = 1, 2, 3, 4, 5, 6, 7, 8, 9
print(str + len + int + float + bool + list + dict + tuple + object)
