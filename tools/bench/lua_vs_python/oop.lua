-- Method calls through metatables: classes, inheritance, __index chains, metamethods.
local scale = tonumber(arg and arg[1]) or 1
local Vec = {}
Vec.__index = Vec
function Vec.new(x, y) return setmetatable({x = x, y = y}, Vec) end
function Vec:add(o) return Vec.new(self.x + o.x, self.y + o.y) end
function Vec:scale(k) return Vec.new(self.x * k, self.y * k) end
function Vec:dot(o) return self.x * o.x + self.y * o.y end
Vec.__add = function(a, b) return a:add(b) end
Vec.__eq = function(a, b) return a.x == b.x and a.y == b.y end
local Shape = {}
Shape.__index = Shape
function Shape.new(name) return setmetatable({name = name, moves = 0}, Shape) end
function Shape:move() self.moves = self.moves + 1; return self end
function Shape:area() return 0 end
local Rect = setmetatable({}, {__index = Shape})
Rect.__index = Rect
function Rect.new(w, h) local r = Shape.new("rect"); r.w = w; r.h = h; return setmetatable(r, Rect) end
function Rect:area() return self.w * self.h end
local Square = setmetatable({}, {__index = Rect})
Square.__index = Square
function Square.new(s) local r = Rect.new(s, s); r.name = "square"; return setmetatable(r, Square) end
local n = math.floor(800000 * scale)
local acc = Vec.new(0, 0)
local total = 0
for i = 1, n do
  local v = Vec.new(i % 10, i % 7)
  acc = acc + v:scale(2)
  total = total + v:dot(acc) % 1000
end
local shapes = {}
for i = 1, 1000 do shapes[i] = (i % 2 == 0) and Rect.new(i, 2) or Square.new(i % 50) end
local area = 0
for round = 1, math.floor(500 * scale) do
  for i = 1, #shapes do area = area + shapes[i]:move():area() end
end
print(acc.x, acc.y, total, area, shapes[1].moves, Vec.new(1, 2) == Vec.new(1, 2))
