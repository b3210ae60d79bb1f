-- an uncaught error with a table value
print("about to raise a table")
error({code = 42})
