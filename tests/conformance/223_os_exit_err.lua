-- os.exit with a status code flushes output first
io.write("written before exit\n")
print("printed before exit")
os.exit(3)
print("never")
