#!/usr/bin/env lua5.4 -- the first line of a file is skipped when it starts with #
print("after shebang")
print(pcall(function() local v; return v.x end))
