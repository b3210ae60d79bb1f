local t = {1, 2, 3, x = "x", ["y z"] = 5, [10] = 10, [1.0 + 1] = "two?"}
print(t[1], t[2], t[3], t.x, t["y z"], t[10], #t)
local u = {[1] = "a", "b"}
print(u[1])
local function three() return 1, 2, 3 end
local w = {three(), three(), k = three()}
print(#w, w[1], w[2], w[4], w.k)
local nested = {a = {b = {c = "deep"}}}
print(nested.a.b.c, nested["a"]["b"]["c"])
local keys = {}
keys[true] = "t"; keys[1] = "one"; keys[1.5] = "f"; keys["1"] = "s"
print(keys[true], keys[1], keys[1.0], keys[1.5], keys["1"], keys[false])
local big = {}
for i = 1, 100 do big[i] = i * i end
print(#big, big[100])
local s = {}
s[#s + 1] = "a"; s[#s + 1] = "b"
print(table.concat(s, "+"), #s)
local e = {n = nil, [1] = nil}
print(next(e))
local m = {10, 20, nil, 40}
print(m[4], select("#", table.unpack({1, 2, 3})))
local tl = {f = function(self) return self.v end, v = 7}
print(tl:f(), tl.f(tl))
local seps = {1; 2; 3,}
print(#seps)
print(pcall(function() local z = {}; z[nil] = 1 end))
print(pcall(function() local z = {}; z[0/0] = 1 end))
print(pcall(function() return {[nil] = 1} end))
print(pcall(function() return {1, [0/0] = 2} end))
