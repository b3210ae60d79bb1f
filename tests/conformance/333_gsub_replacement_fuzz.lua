-- gsub with random replacement strings (%0-%9, %%, invalid escapes), tables and functions
local seed = 9090
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
local function h(acc, v)
  local s = tostring(v)
  for i = 1, #s do acc = (acc * 263 + s:byte(i)) % 2147483629 end
  return acc
end
local subjects = {"hello world", "a=1, b=2, c=3", "", "aaa", "x(y)z", "key: value\nk2: v2", "\0\1\2"}
local patterns = {"(%w+)", "(%w)(%w*)", "%w", "()", "(a)", "=(%d)", "(%w+): (%w+)", ".", "", "(h)(e)(l)(l)(o)"}
local rparts = {"%0", "%1", "%2", "%3", "%9", "%%", "%x", "x", "<", ">", "%", "%5", "-"}
local acc, errs = 0, 0
for _ = 1, 3000 do
  local s = subjects[rnd(#subjects) + 1]
  local p = patterns[rnd(#patterns) + 1]
  local kind = rnd(4)
  local repl
  if kind <= 1 then
    local t = {}
    for i = 1, rnd(4) + 1 do t[i] = rparts[rnd(#rparts) + 1] end
    repl = table.concat(t)
  elseif kind == 2 then
    repl = {hello = "HI", a = 1, ["1"] = false, world = 2.5, key = true}
  else
    local mode = rnd(4)
    repl = function(...) if mode == 0 then return nil elseif mode == 1 then return select("#", ...) elseif mode == 2 then return (...) .. "!" else return {} end end
  end
  local ok, r, n = pcall(string.gsub, s, p, repl, rnd(4) == 0 and rnd(3) or nil)
  if not ok then errs = errs + 1 end
  acc = h(h(acc, r), n)
end
print(errs, acc)
