-- os.time normalises the fields of the table it is given, in place
local t = {year = 2021, month = 13, day = 32, hour = 25, min = 61, sec = 61}
local ts = os.time(t)
print(ts, t.year, t.month, t.day, t.hour, t.min, t.sec, t.wday, t.yday, t.isdst)
local u = {year = 2024, month = 3, day = 1}
os.time(u)
print(u.hour, u.min, u.sec, u.wday, u.yday)
print(pcall(os.time, {year = 2020, month = 1, day = 1.5}))
print(pcall(os.time, {year = 2020, month = 1, day = "2"}))
print(pcall(os.time, {year = 2^40, month = 1, day = 1}))
