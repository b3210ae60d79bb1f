-- multiple results: truncated except at the end of a list (3.4.12)
local function three() return 1, 2, 3 end
local function none() end
print(three())
print(three(), "x")
print("x", three())
print((three()))
print(three(), three())
local tt = {three(), three()}
print(tt[4], #tt)
print(select("#", none()), select("#", (none())), select("#", none(), nil))
local function pass(...) return ... end
print(pass(three()))
print(pass(three(), 10))
local function tail() return three() end
print(tail())
local function paren() return (three()) end
print(paren())
local t = {none()}
print(#t)
print(math.max(three()))
print(string.format("%d %d %d", three()))
local a, b, c, d = three()
print(a, b, c, d)
local e = {three(), nil}
print(#e)
print(pcall(type, none()))
