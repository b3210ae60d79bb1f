-- <const> locals
local limit <const> = 10
local name <const> = "fixed"
print(limit * 2, name)
local function useconst() return limit + 1 end
print(useconst())
print(load("local x <const> = 1; x = 2"))
print(load("local x <const> = 1; local function f() x = 2 end"))
print(load("local a <const>, b = 1, 2; b = 3; return a + b")())
print(load("local x <close> = nil; x = 1"))
local t <const> = {}
t.field = "mutable contents"
print(t.field)
