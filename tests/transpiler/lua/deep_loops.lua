local count, last = 0, nil
local up = 0
local function f()
for i0 = 1, 2 do
for i1 = 1, 2 do
for i2 = 1, 2 do
for i3 = 1, 2 do
for i4 = 1, 2 do
for i5 = 1, 2 do
for i6 = 1, 2 do
for i7 = 1, 2 do
for i8 = 1, 2 do
for i9 = 1, 2 do
for i10 = 1, 2 do
for i11 = 1, 2 do
for i12 = 1, 2 do
for i13 = 1, 2 do
for i14 = 1, 2 do
for i15 = 1, 2 do
for i16 = 1, 2 do
for i17 = 1, 2 do
for i18 = 1, 2 do
for i19 = 1, 2 do
count = count + 1; up = up + 1; last = i19
if count == 5000 then return 'early', count end
end
end
end
end
end
end
end
end
end
end
end
end
end
end
end
end
end
end
end
end

return 'done'
end
print(f())
print(count, last, up)
local fs = {}
for i0 = 1, 2 do
for i1 = 1, 2 do
for i2 = 1, 2 do
for i3 = 1, 2 do
for i4 = 1, 2 do
for i5 = 1, 2 do
for i6 = 1, 2 do
for i7 = 1, 2 do
for i8 = 1, 2 do
for i9 = 1, 2 do
for i10 = 1, 2 do
for i11 = 1, 2 do
for i12 = 1, 2 do
for i13 = 1, 2 do
for i14 = 1, 2 do
for i15 = 1, 2 do
for i16 = 1, 2 do
for i17 = 1, 2 do
for i18 = 1, 2 do
local v = i18 * 10
fs[#fs+1] = function() v = v + 1; return v end
if #fs > 3 then break end
end
end
end
end
end
end
end
end
end
end
end
end
end
end
end
end
end
end
end

print(#fs, fs[1](), fs[1](), fs[2]())
local t = {}
for k, v in pairs({a=1}) do for k2, v2 in pairs({b=2}) do for k3, v3 in pairs({c=3}) do for k4, v4 in pairs({d=4}) do for k5, v5 in pairs({e=5}) do for k6, v6 in pairs({f=6}) do for k7, v7 in pairs({g=7}) do t[#t+1] = k..k2..k3..k4..k5..k6..k7 end end end end end end end
print(t[1])
local n = 0
for i0 = 1, 2 do
for i1 = 1, 2 do
for i2 = 1, 2 do
for i3 = 1, 2 do
for i4 = 1, 2 do
for i5 = 1, 2 do
for i6 = 1, 2 do
for i7 = 1, 2 do
for i8 = 1, 2 do
for i9 = 1, 2 do
for i10 = 1, 2 do
for i11 = 1, 2 do
for i12 = 1, 2 do
for i13 = 1, 2 do
for i14 = 1, 2 do
for i15 = 1, 2 do
for i16 = 1, 2 do
for i17 = 1, 2 do
n = n + 1
if n % 2 == 0 then goto cont end
n = n + 100
::cont::
end
end
end
end
end
end
end
end
end
end
end
end
end
end
end
end
end
end

print(n)
