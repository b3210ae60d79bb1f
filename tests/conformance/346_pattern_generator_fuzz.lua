-- randomly generated patterns (classes, sets, quantifiers, captures, anchors, %b, %f,
-- back-references, malformed ones too) against random subjects, folded into a checksum
local seed = 6174
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
local function h(acc, v)
  local s = tostring(v)
  for i = 1, #s do acc = (acc * 263 + s:byte(i)) % 2147483629 end
  return acc
end
local singles = {"a", "b", ".", "%a", "%d", "%s", "%w", "%p", "%x", "%u", "%l", "%A", "%S", "[ab]", "[^a]", "[%d_]", "[a-c]", "[]]", "%%", "%.", "x", "(", ")"}
local quants = {"", "", "", "*", "+", "-", "?"}
local function gen()
  local parts = {}
  if rnd(4) == 0 then parts[#parts + 1] = "^" end
  local open = 0
  for _ = 1, rnd(5) + 1 do
    local r = rnd(12)
    if r == 0 then parts[#parts + 1] = "("; open = open + 1
    elseif r == 1 and open > 0 then parts[#parts + 1] = ")"; open = open - 1
    elseif r == 2 then parts[#parts + 1] = "%b()"
    elseif r == 3 then parts[#parts + 1] = "%f[%w]"
    elseif r == 4 then parts[#parts + 1] = "()"
    elseif r == 5 then parts[#parts + 1] = "%" .. (rnd(3) + 1)
    else
      local s = singles[rnd(#singles) + 1]
      parts[#parts + 1] = s .. ((s == "(" or s == ")") and "" or quants[rnd(#quants) + 1])
      if s == "(" then open = open + 1 elseif s == ")" then open = open - 1 end
    end
  end
  for _ = 1, open do if rnd(3) > 0 then parts[#parts + 1] = ")" end end
  if rnd(4) == 0 then parts[#parts + 1] = "$" end
  return table.concat(parts)
end
local chars = {"a", "b", "c", "1", "2", " ", "(", ")", "_", ".", "x", "A", "%", "]"}
local acc, errs = 0, 0
for _ = 1, 4000 do
  local t = {}
  for i = 1, rnd(12) do t[i] = chars[rnd(#chars) + 1] end
  local s, p = table.concat(t), gen()
  local r = table.pack(pcall(string.find, s, p, rnd(4)))
  if not r[1] then errs = errs + 1 end
  for i = 1, r.n do acc = h(acc, r[i]) end
  local r2 = table.pack(pcall(string.gsub, s, p, "<%0>"))
  for i = 1, r2.n do acc = h(acc, r2[i]) end
  local r3 = table.pack(pcall(string.match, s, p))
  for i = 1, r3.n do acc = h(acc, r3[i]) end
end
print(errs, acc)
