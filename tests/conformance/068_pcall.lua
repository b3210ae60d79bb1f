-- pcall returns true plus all results, or false plus the error value
print(pcall(function() return 1, 2, 3 end))
print(pcall(function() end))
print(pcall(function(...) return select("#", ...), ... end, "a", nil, "c"))
print(pcall(nil))
print(pcall(42))
print(pcall(pcall))
print(pcall(pcall, error, "x"))
local ok, a, b = pcall(pcall, function() error("inner", 0) end)
print(ok, a, b)
local depth = 0
local function nest(n) if n == 0 then error("bottom", 0) end depth = depth + 1; return pcall(nest, n - 1) end
print(nest(5), depth)
print(pcall(string.rep))
print(pcall(string.sub))
