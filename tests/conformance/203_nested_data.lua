-- nested tables, references and identity
local a = {}
local b = {a, a}
print(b[1] == b[2], b[1] == a)
b[1].x = 5
print(a.x, b[2].x)
local matrix = {}
for i = 1, 3 do matrix[i] = {} for j = 1, 3 do matrix[i][j] = (i - 1) * 3 + j end end
local rows = {}
for i = 1, 3 do rows[i] = table.concat(matrix[i], " ") end
print(table.concat(rows, " | "))
local function transpose(m)
  local r = {}
  for i = 1, #m[1] do r[i] = {} for j = 1, #m do r[i][j] = m[j][i] end end
  return r
end
local tr = transpose(matrix)
print(tr[1][3], tr[3][1])
local cyc = {}
cyc.self = cyc
print(cyc.self.self.self == cyc)
local function deep_copy(t)
  if type(t) ~= "table" then return t end
  local r = {}
  for k, v in pairs(t) do r[k] = deep_copy(v) end
  return r
end
local orig = {1, {2, {3}}}
local copy = deep_copy(orig)
copy[2][2][1] = 99
print(orig[2][2][1], copy[2][2][1])
