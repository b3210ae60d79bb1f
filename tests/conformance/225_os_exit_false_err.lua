-- os.exit(false) exits with EXIT_FAILURE
print("exiting with false")
os.exit(false)
