-- a binary search tree with recursive insert, in-order traversal via coroutine, deletion
local function insert(node, k)
  if not node then return {key = k} end
  if k < node.key then node.left = insert(node.left, k) elseif k > node.key then node.right = insert(node.right, k) end
  return node
end
local function walk(node)
  if node then walk(node.left); coroutine.yield(node.key); walk(node.right) end
end
local function keys(root) return coroutine.wrap(function() walk(root) end) end
local function height(n) if not n then return 0 end return 1 + math.max(height(n.left), height(n.right)) end
local function minnode(n) while n.left do n = n.left end return n end
local function delete(n, k)
  if not n then return nil end
  if k < n.key then n.left = delete(n.left, k)
  elseif k > n.key then n.right = delete(n.right, k)
  else
    if not n.left then return n.right end
    if not n.right then return n.left end
    local m = minnode(n.right)
    n.key = m.key
    n.right = delete(n.right, m.key)
  end
  return n
end
local root
local seed = 7
for i = 1, 60 do seed = (seed * 31 + 17) % 101; root = insert(root, seed) end
local out = {}
for k in keys(root) do out[#out + 1] = k end
print(#out, height(root), table.concat(out, " "))
for _, k in ipairs({out[1], out[10], out[#out], 1000}) do root = delete(root, k) end
out = {}
for k in keys(root) do out[#out + 1] = k end
print(#out, table.concat(out, " "))
