-- __pairs overrides pairs()
local t = setmetatable({}, {__pairs = function(self)
  local i = 0
  return function(_, k)
    i = i + 1
    if i <= 3 then return i, i * i end
  end, self, nil
end})
for k, v in pairs(t) do print(k, v) end
local real = {a = 1}
local proxy = setmetatable({}, {__pairs = function() return next, real, nil end})
for k, v in pairs(proxy) do print(k, v) end
for k, v in next, proxy do print("raw", k, v) end
print("done")
