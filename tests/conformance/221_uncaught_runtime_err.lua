-- a runtime error at top level
local t = {}
print("start")
local v = t.missing.field
print("never")
