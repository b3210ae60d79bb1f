-- lua5.4's one-pass compiler reports the first error in source order, even when a
-- lexical error (bad number, unfinished string) comes later in the text
print(load("x = = [[ unfinished", "=c"))
print(load("if then 0x", "=c"))
print(load("local = 'unfinished", "=c"))
print(load("return + 1e", "=c"))
print(load("f( ) ) \"abc", "=c"))
print(load("x = 1\ny = = 2\nz = [==[", "=c"))
print(load("return 0x", "=c"))
print(load("return [[", "=c"))
