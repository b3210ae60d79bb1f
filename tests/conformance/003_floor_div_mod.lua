-- // and % use floor semantics (Lua 5.4 manual 3.4.1)
local pairs_ = {
  {7, 2}, {-7, 2}, {7, -2}, {-7, -2},
  {7.0, 2}, {-7.0, 2}, {7, -2.0}, {-7.5, 2},
  {5.3, 2}, {-5.3, 2}, {0, 3}, {3, 7}, {-3, 7},
  {1, 0.0}, {-1, 0.0}, {0.0, 0.0},
  {5, math.huge}, {-5, math.huge}, {5, -math.huge}, {-5, -math.huge},
  {math.huge, 2}, {6, 3}, {-6, 3}, {math.mininteger, 7},
}
for _, p in ipairs(pairs_) do
  local a, b = p[1], p[2]
  local q, r = a // b, a % b
  print(a, b, q, math.type(q), r, math.type(r))
end
print(3 % -2 == -1, -3 % 2 == 1)
print(5.5 // 1, -5.5 // 1)
print(1e308 % 3)
