-- os.time with a table (local time; the suite runs with TZ=UTC) and os.date("*t")
print(os.time({year = 2020, month = 1, day = 1, hour = 0}))
print(os.time({year = 2000, month = 1, day = 1}))
print(os.time({year = 1970, month = 1, day = 1, hour = 0, min = 0, sec = 0}))
print(os.time({year = 2021, month = 13, day = 1, hour = 12}))
print(os.time({year = 2021, month = 3, day = 0, hour = 12}))
print(os.time({year = 2021, month = 1, day = 1, hour = 12, min = 90, sec = -30}))
print(math.type(os.time()), os.time() > 1600000000)
print(pcall(os.time, {year = 2020}))
print(pcall(os.time, {year = 2020, month = "x", day = 1}))
local t = os.date("*t", 86400 * 365)
local keys = {}
for k in pairs(t) do keys[#keys + 1] = k end
table.sort(keys)
for _, k in ipairs(keys) do print(k, t[k]) end
print(os.time(os.date("*t", 1234567890)))
local u = os.date("!*t", 1700000000)
print(u.year, u.month, u.day, u.hour, u.min, u.sec, u.wday, u.yday, u.isdst)
