-- random small programs (locals, assignments, if/for/do blocks, closures, tables, multiple
-- assignment, break) compiled with load() and run; what they record folded into a checksum
local seed = 2357
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
local function h(acc, v)
  local s = tostring(v)
  if type(v) == "table" or type(v) == "function" then s = type(v) end
  for i = 1, #s do acc = (acc * 263 + s:byte(i)) % 2147483629 end
  return acc
end
local names = {"x", "y", "z", "w"}
local function atom()
  local r = rnd(8)
  if r < 3 then return names[rnd(#names) + 1] end
  if r == 3 then return tostring(rnd(10) - 3) end
  if r == 4 then return "'" .. string.char(97 + rnd(3)) .. "'" end
  if r == 5 then return "(" .. rnd(5) .. " / 2)" end
  if r == 6 then return "g(" .. names[rnd(#names) + 1] .. ")" end
  return "#out"
end
local function expr(d)
  if d <= 0 or rnd(3) == 0 then return atom() end
  local ops = {"+", "-", "*", "//", "%", "..", "<", "==", "and", "or"}
  return "(" .. expr(d - 1) .. " " .. ops[rnd(#ops) + 1] .. " " .. expr(d - 1) .. ")"
end
local function block(d)
  local lines = {}
  for _ = 1, rnd(4) + 1 do
    local r = rnd(12)
    local v = names[rnd(#names) + 1]
    if r < 2 then lines[#lines + 1] = "local " .. v .. " = " .. expr(2)
    elseif r < 4 then lines[#lines + 1] = v .. " = " .. expr(2)
    elseif r < 6 then lines[#lines + 1] = "out[#out + 1] = " .. expr(2)
    elseif r == 6 and d > 0 then lines[#lines + 1] = "if " .. expr(1) .. " then " .. block(d - 1) .. " else " .. block(d - 1) .. " end"
    elseif r == 7 and d > 0 then lines[#lines + 1] = "for i = 1, " .. rnd(4) .. " do " .. v .. " = i " .. block(d - 1) .. (rnd(3) == 0 and " if i == 2 then break end" or "") .. " end"
    elseif r == 8 and d > 0 then lines[#lines + 1] = "do " .. block(d - 1) .. " end"
    elseif r == 9 then lines[#lines + 1] = "fs[#fs + 1] = function() return " .. expr(1) .. " end"
    elseif r == 10 then lines[#lines + 1] = names[rnd(4) + 1] .. ", " .. names[rnd(4) + 1] .. " = " .. expr(1) .. ", " .. expr(1)
    else lines[#lines + 1] = "out[#out + 1] = " .. v end
  end
  return table.concat(lines, "; ")
end
local acc, ran, failed, bad = 0, 0, 0, 0
for _ = 1, 200 do
  local src = "local out, fs = {}, {}; local function g(v) return v end; local x, y, z, w = 1, 2, 'q', nil; "
    .. block(3) .. "; for i = 1, #fs do local ok, v = pcall(fs[i]); out[#out + 1] = ok and v or 'E' end; return out"
  local fn, err = load(src, "=s")
  if not fn then bad = bad + 1; acc = h(acc, err)
  else
    local ok, out = pcall(fn)
    if ok then
      ran = ran + 1
      for i = 1, #out do acc = h(acc, out[i]) end
    else failed = failed + 1; acc = h(acc, out) end
  end
end
print(ran, failed, bad, acc)
