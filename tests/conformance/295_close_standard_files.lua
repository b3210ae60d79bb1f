-- standard files cannot be closed
print(io.stdout:close())
print(io.close())
print(io.stderr:close(), io.stdin:close())
print(io.type(io.stdout))
io.write("still writable\n")
