-- os.exit(true) exits with EXIT_SUCCESS, and closes nothing else
print("exiting with true")
os.exit(true)
print("never")
