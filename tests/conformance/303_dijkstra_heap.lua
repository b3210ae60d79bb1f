-- Dijkstra's shortest paths with a binary heap over a generated graph
local Heap = {}
Heap.__index = Heap
function Heap.new() return setmetatable({n = 0}, Heap) end
function Heap:push(pri, val)
  self.n = self.n + 1
  local i = self.n
  self[i] = {pri, val}
  while i > 1 do
    local p = i // 2
    if self[p][1] <= self[i][1] then break end
    self[p], self[i] = self[i], self[p]
    i = p
  end
end
function Heap:pop()
  if self.n == 0 then return nil end
  local top = self[1]
  self[1] = self[self.n]; self[self.n] = nil; self.n = self.n - 1
  local i = 1
  while true do
    local l, r, m = 2 * i, 2 * i + 1, i
    if l <= self.n and self[l][1] < self[m][1] then m = l end
    if r <= self.n and self[r][1] < self[m][1] then m = r end
    if m == i then break end
    self[m], self[i] = self[i], self[m]
    i = m
  end
  return top[1], top[2]
end
local N = 200
local edges = {}
local seed = 1
local function rnd(n) seed = (seed * 16807) % 2147483647; return seed % n end
for v = 1, N do
  edges[v] = {}
  for _ = 1, 4 do edges[v][#edges[v] + 1] = {to = rnd(N) + 1, w = rnd(100) + 1} end
end
local dist, prev = {}, {}
for v = 1, N do dist[v] = math.huge end
dist[1] = 0
local h = Heap.new()
h:push(0, 1)
while true do
  local d, u = h:pop()
  if not d then break end
  if d <= dist[u] then
    for _, e in ipairs(edges[u]) do
      local nd = d + e.w
      if nd < dist[e.to] then dist[e.to] = nd; prev[e.to] = u; h:push(nd, e.to) end
    end
  end
end
local reachable, far, farv = 0, 0, 1
for v = 1, N do
  if dist[v] < math.huge then reachable = reachable + 1; if dist[v] > far then far, farv = dist[v], v end end
end
local path = {}
local v = farv
while v do table.insert(path, 1, v); v = prev[v] end
print(reachable, far, farv, #path, table.concat(path, ">"))
print(dist[2], dist[N], math.type(dist[1]), dist[N] == math.huge and "unreachable" or "reachable")
