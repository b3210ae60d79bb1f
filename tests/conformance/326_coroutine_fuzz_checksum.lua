-- a random schedule of coroutines that yield, error, recurse into pcall and get closed,
-- folded into a checksum
local seed = 8080
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
local function h(acc, v)
  local s = tostring(v)
  for i = 1, #s do acc = (acc * 263 + s:byte(i)) % 2147483587 end
  return acc
end
local acc = 0
local closed = 0
local function body(id, depth)
  local r <close> = setmetatable({}, {__close = function() closed = closed + 1 end})
  local total = id
  for step = 1, 3 + id % 4 do
    local cmd = coroutine.yield(total, step)
    if cmd == "error" then error("fail " .. id .. ":" .. step, 0) end
    if cmd == "nest" and depth < 3 then
      local ok, v = pcall(body, id * 10 + step, depth + 1)
      total = total + (ok and 1 or 2)
    end
    total = total + (tonumber(cmd) or 0)
  end
  return "done", total
end
local cos = {}
for i = 1, 60 do cos[i] = coroutine.create(body) end
local started = {}
for round = 1, 400 do
  local i = rnd(#cos) + 1
  local co = cos[i]
  local choice = rnd(12)
  if coroutine.status(co) == "dead" then
    acc = h(acc, "dead" .. i)
  elseif choice == 0 then
    acc = h(acc, tostring(coroutine.close(co)))
  else
    local arg = ({"1", "2", "nest", "error", "5", "nest"})[rnd(6) + 1]
    if rnd(8) ~= 0 then arg = tostring(rnd(9)) end
    local res = table.pack(coroutine.resume(co, started[i] and arg or i, 0))
    started[i] = true
    for k = 1, res.n do acc = h(acc, res[k]) end
    acc = h(acc, coroutine.status(co))
  end
end
local dead = 0
for i = 1, #cos do if coroutine.status(cos[i]) == "dead" then dead = dead + 1 end end
print(acc, dead, closed)
