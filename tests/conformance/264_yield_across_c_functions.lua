-- which library functions a coroutine can yield through in lua5.4 (pcall/xpcall can;
-- functions that call back into Lua without a continuation cannot)
local function attempt(label, body)
  local co = coroutine.create(body)
  local ok, v = coroutine.resume(co)
  if ok and coroutine.status(co) == "suspended" then
    local ok2, v2 = coroutine.resume(co, "resumed")
    print(label, "yielded", v, ok2, v2)
  else
    print(label, ok, v)
  end
end
local yielding = {
  __tostring = function() return coroutine.yield("from __tostring") end,
  __index = function(_, k) return coroutine.yield("from __index") end,
  __lt = function() return coroutine.yield("from __lt") end,
  __pairs = function(t) coroutine.yield("from __pairs"); return next, {}, nil end,
  __call = function() return coroutine.yield("from __call") end,
  __len = function() return coroutine.yield("from __len") end,
  __concat = function() return coroutine.yield("from __concat") end,
}
local obj = setmetatable({}, yielding)
attempt("tostring", function() return tostring(obj) end)
attempt("print", function() print(obj) end)
attempt("format %s", function() return string.format("%s", obj) end)
attempt("ipairs", function() for i, v in ipairs(obj) do return v end end)
attempt("table.concat", function() return table.concat(obj, ",", 1, 1) end)
attempt("table.unpack", function() return table.unpack(obj, 1, 1) end)
attempt("sort default", function() local t = {obj, setmetatable({}, yielding)}; table.sort(t) end)
attempt("pairs", function() for k in pairs(obj) do end return "done" end)
attempt("load reader", function() return load(function() return coroutine.yield("from reader") end) end)
attempt("select", function() return select(1, coroutine.yield("plain yield")) end)
attempt("pcall", function() return pcall(coroutine.yield, "through pcall") end)
attempt("xpcall", function() return xpcall(function() return coroutine.yield("through xpcall") end, print) end)
attempt("index op", function() return obj.key end)
attempt("lt op", function() return obj < obj end)
attempt("call op", function() return obj() end)
attempt("len op", function() return #obj end)
attempt("concat op", function() return obj .. "x" end)
attempt("for iterator", function() for v in function() return coroutine.yield("from iterator") end do return v end end)
attempt("wrap inside", function() return coroutine.wrap(function() return coroutine.yield("inner") end)() end)
