-- package.searchpath with custom templates and separators
print(package.searchpath("helper_dofile_286", "./?.lua;./?/init.lua"))
print(package.searchpath("nope_286", "./?.lua;./?/init.lua"))
print(package.searchpath("a.b.c", "./?.x", ".", "/"))
