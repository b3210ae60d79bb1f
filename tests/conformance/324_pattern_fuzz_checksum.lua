-- find/match/gmatch/gsub of many patterns over random subjects folded into a checksum
local seed = 4242
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
local pieces = {"a", "b", "ab", " ", "(", ")", "[", "]", "1", "23", ".", "%", "x=", "\0", "\255", "key=val;"}
local patterns = {"a+", "a-b", "%d+", "%s*", "%b()", "%f[%w]%w+", "(a)(b)", "()a()", "[%a_]+", "[^%s]+",
  "^a", "b$", "(%w+)=(%w+)", ".-", "a?b", "[%[%]]", "%%", "[\0-\31]", "x=(.-);", "(%d)%1", "[a-b]*", "%W+"}
local function h(acc, v)
  local s = tostring(v)
  for i = 1, #s do acc = (acc * 131 + s:byte(i)) % 1000000007 end
  return acc
end
local acc, n = 0, 0
for _ = 1, 600 do
  local parts = {}
  for i = 1, rnd(10) do parts[i] = pieces[rnd(#pieces) + 1] end
  local s = table.concat(parts)
  for _, p in ipairs(patterns) do
    local init = rnd(#s + 3) - 1
    for _, v in ipairs({s:find(p, init)}) do acc = h(acc, v) end
    for _, v in ipairs({s:match(p)}) do acc = h(acc, v) end
    local r, c = s:gsub(p, "<%0>", rnd(3) + 1)
    acc = h(h(acc, r), c)
    local k = 0
    for a in s:gmatch(p) do k = k + 1; acc = h(acc, a); if k > 20 then break end end
    n = n + 4
  end
end
print(n, acc)
