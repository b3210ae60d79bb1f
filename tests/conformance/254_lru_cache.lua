-- an LRU cache with a doubly linked list and a hash map
local LRU = {}
LRU.__index = LRU
function LRU.new(cap)
  local head, tail = {}, {}
  head.next, tail.prev = tail, head
  return setmetatable({cap = cap, size = 0, map = {}, head = head, tail = tail, evicted = {}}, LRU)
end
local function unlink(n) n.prev.next, n.next.prev = n.next, n.prev end
function LRU:push_front(n) n.next, n.prev = self.head.next, self.head; self.head.next.prev = n; self.head.next = n end
function LRU:get(k)
  local n = self.map[k]
  if not n then return nil end
  unlink(n); self:push_front(n)
  return n.value
end
function LRU:put(k, v)
  local n = self.map[k]
  if n then n.value = v; unlink(n); self:push_front(n); return end
  if self.size == self.cap then
    local last = self.tail.prev
    unlink(last); self.map[last.key] = nil; self.size = self.size - 1
    self.evicted[#self.evicted + 1] = last.key
  end
  n = {key = k, value = v}
  self.map[k] = n; self:push_front(n); self.size = self.size + 1
end
function LRU:keys()
  local out, n = {}, self.head.next
  while n ~= self.tail do out[#out + 1] = tostring(n.key); n = n.next end
  return table.concat(out, ",")
end
local c = LRU.new(3)
c:put("a", 1); c:put("b", 2); c:put("c", 3)
print(c:keys(), c:get("a"), c:keys())
c:put("d", 4)
print(c:keys(), c:get("b"), table.concat(c.evicted, ","))
c:put("c", 30); c:put(5, "five"); c:put(true, "t")
print(c:keys(), c:get("c"), c:get(5), table.concat(c.evicted, ","), c.size)
