-- os.exit inside a coroutine ends the whole program
print("before")
local co = coroutine.create(function()
  print("in coroutine")
  os.exit(5)
end)
print(coroutine.resume(co))
print("never printed")
