-- case conversion and character classes are ASCII-only (C locale); number parsing too
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
all = table.concat(all)
local up, low = all:upper(), all:lower()
local changed_up, changed_low = 0, 0
for i = 1, 256 do
  if up:byte(i) ~= all:byte(i) then changed_up = changed_up + 1 end
  if low:byte(i) ~= all:byte(i) then changed_low = changed_low + 1 end
end
print(changed_up, changed_low, up:sub(98, 123), low:sub(66, 91))
print(("\xe9\xc9\xff\xb5"):upper():byte(1, -1))
print(("\xe9\xc9\xdf\xb5"):lower():byte(1, -1))
local spaces = {}
for i = 0, 255 do if string.char(i):match("%s") then spaces[#spaces + 1] = i end end
print(table.concat(spaces, ","))
local digits = {}
for i = 0, 255 do if string.char(i):match("%d") then digits[#digits + 1] = i end end
print(table.concat(digits, ","))
print(tonumber("5\x1c"), tonumber("\xa05"), tonumber("5\x85"), tonumber("\x0b5\x0c"), tonumber("\t5\n"))
print(tonumber("1_000"), tonumber("1\xb2"), tonumber("\xb9"), tonumber("infinity"), tonumber("+5"), tonumber("+0x10"))
print(tonumber("1e500"), tonumber("-1e500"), tonumber("."), tonumber("-.5"), tonumber("0x."), tonumber("1e1.5"))
print(tonumber("0x8000000000000000"), tonumber("0xFFFFFFFFFFFFFFFFF"), tonumber("1" .. ("0"):rep(30)))
print(pcall(function() return "1_0" + 1 end))
print(("%a+"):rep(1), ("caf\xe9 na\xefve"):match("%a+"), select(2, ("caf\xe9"):gsub("%w", "")))
