-- string functions on random inputs checked against byte-loop models
local seed = 77
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
local alphabet = "ab.%A\0\255"
local function rstr(maxlen)
  local t = {}
  for i = 1, rnd(maxlen + 1) do local k = rnd(#alphabet) + 1; t[i] = alphabet:sub(k, k) end
  return table.concat(t)
end
local function model_find(s, p, init)
  if init < 0 then init = math.max(#s + init + 1, 1) elseif init == 0 then init = 1 end
  if init > #s + 1 then return nil end
  for i = init, #s - #p + 1 do
    local ok = true
    for j = 1, #p do if s:byte(i + j - 1) ~= p:byte(j) then ok = false break end end
    if ok then return i, i + #p - 1 end
  end
  return nil
end
local function model_sub(s, i, j)
  local n = #s
  if i < 0 then i = math.max(n + i + 1, 1) elseif i == 0 then i = 1 end
  if j < 0 then j = n + j + 1 elseif j > n then j = n end
  local out = {}
  for k = i, j do out[#out + 1] = string.char(s:byte(k)) end
  return table.concat(out)
end
local mismatches, checks, acc = 0, 0, 0
for _ = 1, 1500 do
  local s, p = rstr(14), rstr(3)
  local init = rnd(#s + 4) - 2
  local a1, a2 = s:find(p, init, true)
  local b1, b2 = model_find(s, p, init)
  if a1 ~= b1 or a2 ~= b2 then mismatches = mismatches + 1 end
  acc = acc + (a1 or 0)
  local i, j = rnd(20) - 10, rnd(20) - 10
  if s:sub(i, j) ~= model_sub(s, i, j) then mismatches = mismatches + 1 end
  local r = {}
  for k = #s, 1, -1 do r[#r + 1] = s:sub(k, k) end
  if s:reverse() ~= table.concat(r) then mismatches = mismatches + 1 end
  local up = s:gsub("%l", function(c) return string.char(c:byte() - 32) end)
  if s:upper() ~= up then mismatches = mismatches + 1 end
  local cnt = 0
  for k = 1, #s do if s:sub(k, k) == "a" then cnt = cnt + 1 end end
  if select(2, s:gsub("a", "")) ~= cnt then mismatches = mismatches + 1 end
  local n = rnd(4)
  local rep = {}
  for k = 1, n do rep[k] = s end
  if s:rep(n, "|") ~= table.concat(rep, "|") then mismatches = mismatches + 1 end
  checks = checks + 6
end
print(checks, mismatches, acc)
