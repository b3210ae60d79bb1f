-- an uncaught error ends the program with status 1 after the output so far
print("before the error")
io.write("buffered write\n")
error("boom")
print("never printed")
