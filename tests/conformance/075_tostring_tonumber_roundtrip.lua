-- tostring uses 14 significant digits, so some floats do not round-trip
for _, v in ipairs({0.1, 1/3, 2^53, 1e100, 123.456, math.pi, -2.5, 1e-300}) do
  print(tostring(v), tonumber(tostring(v)) == v, tonumber(string.format("%.17g", v)) == v)
end
print(tonumber(tostring(math.maxinteger)) == math.maxinteger)
print(tonumber(tostring(math.mininteger)) == math.mininteger)
