-- random integer-only programs with while/repeat/numeric and generic for, goto continue,
-- break, nested closures and varargs, run through load(); traces folded into a checksum
local seed = 1729
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
local function h(acc, v)
  local s = tostring(v)
  for i = 1, #s do acc = (acc * 263 + s:byte(i)) % 2147483629 end
  return acc
end
local vars = {"a", "b", "c"}
local function e(d)
  local r = rnd(6)
  if d <= 0 or r < 2 then return rnd(2) == 0 and vars[rnd(3) + 1] or tostring(rnd(7) - 2) end
  local ops = {"+", "-", "*", "%", "//", "<", "==", "and", "or"}
  local op = ops[rnd(#ops) + 1]
  if op == "%" or op == "//" then return "(" .. e(d - 1) .. " " .. op .. " " .. (rnd(5) + 1) .. ")" end
  if op == "<" or op == "==" then return "((" .. e(d - 1) .. " " .. op .. " " .. e(d - 1) .. ") and 1 or 0)" end
  if op == "and" or op == "or" then return "(" .. e(d - 1) .. " " .. op .. " " .. e(d - 1) .. ")" end
  return "(" .. e(d - 1) .. " " .. op .. " " .. e(d - 1) .. ")"
end
local uid = 0
local function stmts(d)
  local out = {}
  for _ = 1, rnd(3) + 1 do
    local r = rnd(10)
    local v = vars[rnd(3) + 1]
    uid = uid + 1
    local id = uid
    if r < 3 then out[#out + 1] = v .. " = " .. e(2) .. " % 1000"
    elseif r == 3 then out[#out + 1] = "tr(" .. e(2) .. ")"
    elseif r == 4 and d > 0 then out[#out + 1] = "do local n" .. id .. " = 0 while n" .. id .. " < " .. rnd(4) .. " do n" .. id .. " = n" .. id .. " + 1; " .. stmts(d - 1) .. " end end"
    elseif r == 5 and d > 0 then out[#out + 1] = "do local k" .. id .. " = 0 repeat k" .. id .. " = k" .. id .. " + 1; local stop = k" .. id .. " >= " .. (rnd(3) + 1) .. "; " .. stmts(d - 1) .. " until stop end"
    elseif r == 6 and d > 0 then out[#out + 1] = "for i = 1, " .. rnd(4) .. " do if i % 2 == 0 then goto cont" .. id .. " end " .. stmts(d - 1) .. " ::cont" .. id .. ":: end"
    elseif r == 7 and d > 0 then out[#out + 1] = "for _, q in ipairs({" .. e(1) .. ", " .. e(1) .. "}) do tr(q) if q == 0 then break end " .. stmts(d - 1) .. " end"
    elseif r == 8 then out[#out + 1] = "fs[#fs + 1] = (function(...) local m = select('#', ...) return function() return m + " .. v .. " end end)(" .. e(1) .. ", nil)"
    else out[#out + 1] = "tr(pick(" .. rnd(3) + 1 .. ", " .. e(1) .. ", " .. e(1) .. ", " .. e(1) .. "))" end
  end
  return table.concat(out, "; ")
end
local acc, ok_count = 0, 0
for _ = 1, 150 do
  local src = "local trace, fs = {}, {}; local function tr(v) trace[#trace + 1] = tostring(v) end; "
    .. "local function pick(n, ...) return (select(n, ...)) end; local a, b, c = 1, 2, 3; "
    .. stmts(3) .. "; for i = 1, #fs do tr(fs[i]()) end; return table.concat(trace, ' ')"
  local fn, err = load(src, "=cf")
  if not fn then acc = h(acc, err) else
    local ok, r = pcall(fn)
    if ok then ok_count = ok_count + 1 end
    acc = h(acc, r)
  end
end
print(ok_count, acc)
