-- a loaded chunk sees globals, not the caller's locals; chunks are vararg functions
local hidden = "local"
visible = "global"
print(load("return hidden, visible")())
local f = load("local a, b = ...; return a * b, select('#', ...)")
print(f(6, 7, 8))
local counter = load("n = (n or 0) + 1; return n")
counter(); counter()
print(counter(), n)
local g = load("return function(x) return x + base end")()
base = 10
print(g(5))
local env = {base = 100}
local h = load("return function(x) return x + base end", "h", "t", env)()
print(h(5))
print(load("return select('#', ...)")(nil, nil, nil))
