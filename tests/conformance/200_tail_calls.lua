-- tail calls return all results of the called function
local function multi() return 1, 2, 3 end
local function t1() return multi() end
local function t2(n) if n == 0 then return multi() end return t2(n - 1) end
print(t1())
print(t2(10))
local obj = {v = 7}
function obj:get(...) return self.v, ... end
local function t3() return obj:get("a", "b") end
print(t3())
local function t4(f, ...) return f(...) end
print(t4(string.rep, "ab", 2))
print(t4(select, "#", 1, 2))
local function loop(n, acc) if n == 0 then return acc end return loop(n - 1, acc .. n) end
print(loop(9, ""))
