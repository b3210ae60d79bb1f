-- pcall, error and coroutines pass values through unchanged
local function many(n) local t = {} for i = 1, n do t[i] = i end return table.unpack(t) end
print(select("#", pcall(many, 200)), select(201, pcall(many, 200)))
local co = coroutine.create(function(...) local a = {...}; coroutine.yield(#a, ...); return many(100) end)
print(select("#", coroutine.resume(co, many(50))))
print(select("#", coroutine.resume(co)))
local err = setmetatable({}, {__tostring = function() return "ERR" end})
local ok, e = pcall(function() coroutine.wrap(function() error(err) end)() end)
print(ok, e == err, tostring(e))
print(pcall(error, nil))
print(select("#", pcall(error, nil)))
