-- os.execute and os.setlocale
print(os.execute("true"))
print(os.execute("exit 3"))
print(os.execute())
print(os.setlocale(), os.setlocale("C"), os.setlocale(nil, "numeric"), os.setlocale("no_SUCH.locale"))
print(pcall(os.setlocale, "C", "bogus"))
