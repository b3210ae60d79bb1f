-- reading stdin (the harness feeds 166_io_read_stdin.in)
print(io.read("l"))
print(io.read("n", "n"))
print(io.read("L"))
for line in io.lines() do print("line:", line) end
print(io.read("l"), io.read("a"))
