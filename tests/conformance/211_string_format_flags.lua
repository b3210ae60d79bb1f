-- flag and width combinations of string.format
local fmts = {"%5d", "%-5d|", "%05d", "%+5d", "% 5d", "%+05d", "%-+5d|", "%x", "%#X", "%#o", "%5.3d", "%-8.3f|", "%08.3f", "%+.2e", "%#.0f", "%.0e", "%10.3g|", "%-10.3g|", "%#.3g"}
for _, f in ipairs(fmts) do
  local v = f:find("[diouxX]|?$") and 42 or 3.14159
  print(f, string.format(f, v), string.format(f, -v))
end
print(string.format("%3c|%-3c|", 65, 66))
print(string.format("%.0s|%.1s|%5.0s|", "abc", "abc", "abc"))
print(string.format("%g %g %g %g", 1e20, 1e-20, 123456789, 0.0001234))
print(string.format("%.3a", 1), string.format("%a", -0.1))
