-- a double-ended queue and set operations with tables
local Deque = {}
Deque.__index = Deque
function Deque.new() return setmetatable({first = 0, last = -1, items = {}}, Deque) end
function Deque:push_left(v) self.first = self.first - 1; self.items[self.first] = v end
function Deque:push_right(v) self.last = self.last + 1; self.items[self.last] = v end
function Deque:pop_left()
  if self.first > self.last then return nil end
  local v = self.items[self.first]; self.items[self.first] = nil; self.first = self.first + 1; return v
end
function Deque:pop_right()
  if self.first > self.last then return nil end
  local v = self.items[self.last]; self.items[self.last] = nil; self.last = self.last - 1; return v
end
function Deque:size() return self.last - self.first + 1 end
local d = Deque.new()
for i = 1, 5 do d:push_right(i) end
d:push_left(0); d:push_left(-1)
print(d:size(), d:pop_left(), d:pop_right(), d:pop_left(), d:size())
local function set(list) local s = {} for _, v in ipairs(list) do s[v] = true end return s end
local function keys(s) local k = {} for v in pairs(s) do k[#k + 1] = v end table.sort(k) return table.concat(k, ",") end
local a, b = set({1, 2, 3, 4}), set({3, 4, 5})
local union, inter, diff = {}, {}, {}
for k in pairs(a) do union[k] = true; if b[k] then inter[k] = true else diff[k] = true end end
for k in pairs(b) do union[k] = true end
print(keys(union), keys(inter), keys(diff))
local words = {}
for w in ("the cat and the hat and the bat"):gmatch("%a+") do words[w] = (words[w] or 0) + 1 end
local wl = {}
for w, n in pairs(words) do wl[#wl + 1] = w .. "=" .. n end
table.sort(wl)
print(table.concat(wl, " "))
