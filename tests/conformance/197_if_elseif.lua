-- if/elseif/else chains
local function classify(n)
  if n < 0 then return "negative"
  elseif n == 0 then return "zero"
  elseif n < 10 then return "small"
  elseif n < 100 then return "medium"
  else return "large" end
end
for _, v in ipairs({-5, 0, 3, 42, 1000, 0.5, -0.0}) do print(v, classify(v)) end
local x = nil
if x then print("no") elseif x == nil then print("x is nil") end
if false then elseif nil then else print("else branch") end
local r = {}
for i = 1, 15 do
  if i % 15 == 0 then r[#r + 1] = "FizzBuzz"
  elseif i % 3 == 0 then r[#r + 1] = "Fizz"
  elseif i % 5 == 0 then r[#r + 1] = "Buzz"
  else r[#r + 1] = tostring(i) end
end
print(table.concat(r, " "))
