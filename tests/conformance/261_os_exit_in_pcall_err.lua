-- pcall does not catch os.exit
print(pcall(function()
  print("inside pcall")
  os.exit(7)
end))
print("never printed")
