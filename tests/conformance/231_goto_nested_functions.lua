-- labels are local to their function and block; goto to a label in an enclosing block
local function find(matrix, target)
  for i, row in ipairs(matrix) do
    for j, v in ipairs(row) do
      if v == target then
        goto found
      end
    end
  end
  do return nil end
  ::found::
  return "found " .. target
end
print(find({{1, 2}, {3, 4}}, 3), find({{1}}, 9))
local function retry(n)
  local attempts = 0
  ::try::
  attempts = attempts + 1
  local ok = attempts >= n
  if not ok then goto try end
  return attempts
end
print(retry(4))
print(load("local function f() goto out end ::out::"))
print(load("do ::dup:: end ::dup::") ~= nil)
local r = {}
for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then goto next_i end
    r[#r + 1] = i .. j
  end
  ::next_i::
end
print(table.concat(r, " "))
