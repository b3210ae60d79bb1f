-- select with positive, negative indices and '#'
print(select("#"), select("#", nil), select("#", nil, nil), select("#", 1, nil, 3, nil))
print(select(1, "a", "b", "c"))
print(select(2, "a", "b", "c"))
print(select(3, "a", "b", "c"))
print(select(4, "a", "b", "c"))
print(select(-1, "a", "b", "c"))
print(select(-3, "a", "b", "c"))
print(pcall(select, -4, "a", "b", "c"))
print(pcall(select, 0, "a"))
print(pcall(select, "x"))
print(select("2", "a", "b"))
local function count(...) return select("#", ...) end
print(count(), count(nil), count(1, 2, 3), count(table.unpack({1, nil, 3}, 1, 3)))
