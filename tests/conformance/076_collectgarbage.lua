-- collectgarbage options that have stable results
print(collectgarbage())
print(collectgarbage("collect"))
print(type(collectgarbage("count")), math.type(collectgarbage("count")))
print(collectgarbage("isrunning"))
print(pcall(collectgarbage, "bogus"))
