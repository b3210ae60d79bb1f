-- %a / %A hexadecimal floats with flags, widths and precisions (glibc's output)
for _, v in ipairs({0.0, -0.0, 1.0, -1.5, 0.1, 2^-1074, 2^-1022, 1e308, 1/0, -1/0, 3, 255.75, 2^53}) do
  print(string.format("%a|%A|%.2a|%12a|%-12a|%+a", v, v, v, v, v, v))
end
print(string.format("%.0a %.1a %.13a %.20a", 1.5, 1.96875, math.pi, 1.0))
