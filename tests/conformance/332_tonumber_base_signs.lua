-- tonumber with a base accepts one leading sign and surrounding spaces
print(tonumber("+191", 28), tonumber("+f", 16), tonumber(" +10 ", 2), tonumber("-ff", 16), tonumber("- 1", 10))
print(tonumber("+-1", 10), tonumber("-+1", 10), tonumber("++1", 10), tonumber("+", 10), tonumber("-", 10))
print(tonumber("+z", 36), tonumber("\t-Z\n", 36), tonumber("+0", 2), tonumber("-0", 2), math.type(tonumber("+7", 8)))
print(tonumber("+0x10"), tonumber("+1e1"), tonumber("+.5"), tonumber("+ 1"))
