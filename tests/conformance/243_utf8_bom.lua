-- a UTF-8 byte order mark at the start of the file is skipped
print("after BOM", #"é")
print(pcall(error, "line numbers still count from 1"))
print(pcall(function() error("at line 4") end))
