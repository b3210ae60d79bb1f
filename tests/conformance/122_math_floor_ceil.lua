-- math.floor and math.ceil return integers when the result fits
for _, v in ipairs({3.7, -3.7, 3.0, -0.0, 0.5, -0.5, 5, -5, 2^53 + 0.0, 1e100, -1e100, 2^63, -2^63}) do
  local f, c = math.floor(v), math.ceil(v)
  print(v, f, math.type(f), c, math.type(c))
end
print(math.floor(1/0), math.ceil(-1/0))
print(pcall(math.floor, "x"), math.floor("3.5"))
print(pcall(math.floor))
