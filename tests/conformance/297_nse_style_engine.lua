-- a miniature NSE-style engine in Lua: scripts as coroutines, a fake socket that
-- yields, rules, sorted structured output
local engine = {queue = {}, time = 0, log = {}}
local Socket = {}
Socket.__index = Socket
local responses = {[22] = "SSH-2.0-OpenSSH_9.2p1\r\n", [80] = "HTTP/1.1 200 OK\r\nServer: tiny/1.0\r\n\r\n"}
function Socket.new() return setmetatable({open = false}, Socket) end
function Socket:connect(host, port)
  coroutine.yield("connect", host, port)
  if not responses[port] then return nil, "connection refused" end
  self.port, self.open = port, true
  return true
end
function Socket:receive()
  if not self.open then return nil, "not connected" end
  coroutine.yield("receive", self.port)
  return true, responses[self.port]
end
function Socket:close() self.open = false; return true end
local scripts = {
  {name = "banner", portrule = function(host, port) return port.state == "open" end,
   action = function(host, port)
     local s = Socket.new()
     local ok, err = s:connect(host.ip, port.number)
     if not ok then return nil end
     local status, data = s:receive()
     s:close()
     return (data:match("^[^\r\n]*"))
   end},
  {name = "http-server", portrule = function(host, port) return port.number == 80 end,
   action = function(host, port)
     local s = Socket.new()
     assert(s:connect(host.ip, port.number))
     local _, data = s:receive()
     local headers = {}
     for k, v in data:gmatch("\r\n([^:]+): ([^\r\n]*)") do headers[k:lower()] = v end
     return {server = headers.server, status = tonumber(data:match("^HTTP/%d%.%d (%d+)"))}
   end},
  {name = "broken", portrule = function() return true end,
   action = function(host, port) if port.number == 443 then error("script bug on " .. port.number) end end},
}
local host = {ip = "127.0.0.1"}
local ports = {{number = 22, state = "open"}, {number = 80, state = "open"}, {number = 443, state = "open"}, {number = 25, state = "closed"}}
local threads = {}
for _, port in ipairs(ports) do
  for _, script in ipairs(scripts) do
    if script.portrule(host, port) then
      threads[#threads + 1] = {script = script, port = port, co = coroutine.create(script.action)}
    end
  end
end
local results, events = {}, 0
local running = #threads
while running > 0 do
  for _, th in ipairs(threads) do
    if coroutine.status(th.co) == "suspended" then
      local ok, a, b, c
      if th.started then ok, a, b, c = coroutine.resume(th.co) else ok, a, b, c = coroutine.resume(th.co, host, th.port) end
      th.started = true
      if coroutine.status(th.co) == "dead" then
        running = running - 1
        local key = th.port.number .. "/" .. th.script.name
        if not ok then results[key] = "ERROR: " .. tostring(a):gsub("^[^:]+:%d+: ", "")
        elseif a ~= nil then results[key] = a end
      else
        events = events + 1
      end
    end
  end
end
local function fmt(v, indent)
  if type(v) ~= "table" then return tostring(v) end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys)
  local out = {}
  for _, k in ipairs(keys) do out[#out + 1] = indent .. "  " .. k .. ": " .. fmt(v[k], indent .. "  ") end
  return "\n" .. table.concat(out, "\n")
end
local keys = {}
for k in pairs(results) do keys[#keys + 1] = k end
table.sort(keys, function(a, b)
  local pa, pb = tonumber(a:match("^%d+")), tonumber(b:match("^%d+"))
  if pa ~= pb then return pa < pb end
  return a < b
end)
for _, k in ipairs(keys) do print(k .. ": " .. fmt(results[k], "")) end
print("threads", #threads, "yields", events)
