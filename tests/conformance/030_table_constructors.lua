-- table constructors: positional, keyed, expansion of the last call
local function three() return 1, 2, 3 end
local t = {three()}
print(#t, t[1], t[3])
t = {three(), 10}
print(#t, t[1], t[2], t[3])
t = {(three())}
print(#t)
t = {10, 20, x = "a", ["y z"] = "b", [4] = "four", 30}
print(t[1], t[2], t[3], t[4], t.x, t["y z"])
t = {[1] = "a", [2] = "b", [3] = "c"}
print(t[1], t[2], #t)
t = {1, 2, 3,}
print(#t)
t = {x = 1; y = 2; 3}
print(t.x, t.y, t[1])
local nested = {a = {b = {c = "deep"}}, {1, {2, {3}}}}
print(nested.a.b.c, nested[1][2][2][1])
local k = "key"
t = {[k] = 1, [k .. "2"] = 2, [1 + 1] = "two"}
print(t.key, t.key2, t[2])
t = {three(), three()}
print(#t, table.concat(t, ","))
t = {f = function(self) return self.v end, v = 42}
print(t:f())
