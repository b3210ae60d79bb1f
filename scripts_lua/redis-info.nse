local creds = require "creds"
local ipOps = require "ipOps"
local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"
local string = require "string"
local table = require "table"

description = [[
Asks a Redis server for INFO (version, OS, memory, clients...), its bind addresses, the
active pub/sub channels, the addresses of its clients and its cluster nodes.
]]

---
-- @usage nmap -p 6379 --script redis-info <target>
-- @args creds.redis a password to send with AUTH (as username:password or :password)
-- @output
-- 6379/tcp open  redis
-- | redis-info:
-- |   Version: 7.0.11
-- |   Operating System: Linux 6.1.0-9-amd64 x86_64
-- |   Architecture: 64 bits
-- |   Process ID: 1234
-- |   Used CPU (sys): 0.1
-- |   Used CPU (user): 0.2
-- |   Connected clients: 1
-- |   Connected slaves: 0
-- |   Used memory: 859.21K
-- |   Role: master
-- |   Bind addresses:
-- |     127.0.0.1
-- |   Client connections:
-- |_    127.0.0.1

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"discovery", "safe"}

portrule = shortport.port_or_service(6379, "redis")

-- RESP (the Redis serialization protocol) ----------------------------------------

-- Longest bulk string, and most bytes read for one reply: a hostile server cannot make
-- us buffer or parse more than this.
local MAX_BULK = 1024 * 1024
local MAX_REPLY = 4 * 1024 * 1024
local MAX_LINE = 4096
local budget = 0

-- One CRLF-terminated line, at most MAX_LINE bytes.
local function read_line(sock)
  local ok, line = sock:receive_buf(function(buf)
    local i, j = buf:find("\r\n", 1, true)
    if i and i <= MAX_LINE then return i, j end
    if #buf > MAX_LINE then return MAX_LINE + 1, MAX_LINE end
  end, false)
  if not ok then return nil, line end
  budget = budget - #line - 2
  if budget < 0 then return nil, "reply too large" end
  return line
end

-- One reply: kind ("status", "error", "integer", "bulk", "array") and value. An error
-- keeps its whole line ("-ERR ..."), an array is a table of bulk strings.
local function read_reply(sock, depth)
  local line, err = read_line(sock)
  if not line then return nil, err end
  local mark, rest = line:sub(1, 1), line:sub(2)
  if mark == "+" then return "status", rest
  elseif mark == "-" then return "error", line
  elseif mark == ":" then return "integer", tonumber(rest)
  elseif mark == "$" then
    local n = tonumber(rest)
    if not n or n < 0 then return "bulk", nil end
    if n > MAX_BULK or n > budget then return nil, "reply too large" end
    budget = budget - n - 2
    local ok, data = sock:receive_buf(function(buf)
      if #buf >= n + 2 then return n + 1, n + 2 end
    end, false)
    if not ok then return nil, data end
    return "bulk", data
  elseif mark == "*" then
    local n = tonumber(rest)
    if not n or n < 0 then return "array", nil end
    if (depth or 0) > 4 or n > 10000 then return nil, "reply too deep" end
    local items = {}
    for i = 1, n do
      local kind, value = read_reply(sock, (depth or 0) + 1)
      if not kind then return nil, value end
      items[i] = value
    end
    return "array", items
  end
  return nil, "unexpected reply: " .. line:sub(1, 40)
end

local function command(sock, ...)
  local args = table.pack(...)
  local parts = {("*%d\r\n"):format(args.n)}
  for i = 1, args.n do
    local a = tostring(args[i])
    parts[#parts + 1] = ("$%d\r\n%s\r\n"):format(#a, a)
  end
  local ok, err = sock:send(table.concat(parts))
  if not ok then return nil, err end
  budget = MAX_REPLY
  return read_reply(sock)
end

-- Output -----------------------------------------------------------------------------

-- INFO fields shown, in this order, with their label and an optional formatter.
local FIELDS = {
  {"redis_version", "Version", function(host, port, v)
    port.version.version = v
    port.version.cpe = port.version.cpe or {}
    table.insert(port.version.cpe, "cpe:/a:redis:redis:" .. v)
    nmap.set_port_version(host, port)
    return v
  end},
  {"os", "Operating System"},
  {"arch_bits", "Architecture", function(host, port, v)
    port.version.extrainfo = v .. " bits"
    nmap.set_port_version(host, port)
    return v .. " bits"
  end},
  {"process_id", "Process ID"},
  {"used_cpu_sys", "Used CPU (sys)"},
  {"used_cpu_user", "Used CPU (user)"},
  {"connected_clients", "Connected clients"},
  {"connected_slaves", "Connected slaves"},
  {"used_memory_human", "Used memory"},
  {"role", "Role"},
}

local function bind_addresses(data)
  if type(data) ~= "table" or data[1] ~= "bind" or not data[2] then return nil end
  local out = {}
  for addr in (data[2] .. " "):gmatch("(.-) ") do
    out[#out + 1] = addr == "" and "0.0.0.0" or addr
  end
  return out
end

local function channels(data)
  if type(data) ~= "table" then return nil end
  local limit = nmap.verbosity() <= 1 and 20 or nil
  local out, omitted = {}, 0
  for _, name in ipairs(data) do
    if limit and #out >= limit then
      omitted = omitted + 1
    else
      out[#out + 1] = name
    end
  end
  if omitted > 0 then
    out[#out + 1] = ("(omitted %d item(s), use verbose mode -v to show them)"):format(omitted)
  end
  return #out > 0 and out or nil
end

-- Distinct client addresses of CLIENT LIST, sorted by address family then bytes.
local function clients(data)
  if type(data) ~= "string" then return nil end
  local seen, keys = {}, {}
  for line in data:gmatch("[^\n]+") do
    local ip = line:match("%f[^%s\0]addr=%[?([%x:.]+)%]?:%d+%f[%s\0]")
    local bin = ip and ipOps.ip_to_str(ip)
    if bin then
      local key = string.pack("s1", bin)
      if not seen[key] then
        seen[key] = bin
        keys[#keys + 1] = key
      end
    end
  end
  table.sort(keys)
  local out = {}
  for _, k in ipairs(keys) do out[#out + 1] = ipOps.str_to_ip(seen[k]) end
  return #out > 0 and out or nil
end

local function cluster_nodes(data)
  if type(data) ~= "string" then return nil end
  local out = {}
  for line in data:gmatch("[^\n]+") do
    local addr, flags = line:match("^%x+%s+([%x.:%[%]]+)@?%d*%s+(%S+)")
    if addr then out[#out + 1] = ("%s (%s)"):format(addr, flags) end
  end
  return #out > 0 and out or nil
end

local EXTRAS = {
  {"Bind addresses", {"CONFIG", "GET", "bind"}, bind_addresses},
  {"Active channels", {"PUBSUB", "CHANNELS"}, channels},
  {"Client connections", {"CLIENT", "LIST"}, clients},
  {"Cluster nodes", {"CLUSTER", "NODES"}, cluster_nodes},
}

local function fail(msg) return stdnse.format_output(false, msg) end

action = function(host, port)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port) then
    return fail("Failed to connect to server")
  end
  local c = creds.Credentials:new(creds.ALL_DATA, host, port)
  local cred = c:getCredentials(creds.State.VALID + creds.State.PARAM)()
  if cred and cred.pass then
    local kind, value = command(sock, "AUTH", cred.pass)
    if not kind then
      sock:close()
      return fail(value)
    end
  end
  local kind, info = command(sock, "INFO")
  if not kind then
    sock:close()
    return fail(info)
  end
  if kind == "error" then
    sock:close()
    if info == "-ERR operation not permitted" or info == "-NOAUTH Authentication required." then
      return fail("Authentication required")
    end
    return fail(info)
  end
  if type(info) ~= "string" then
    sock:close()
    return fail("Failed to parse response from server")
  end
  local kv = {}
  for line in info:gmatch("[^\r\n]+") do
    local k, v = line:match("^([^:]*):(.*)$")
    if k then kv[k] = v end
  end
  local out = stdnse.output_table()
  for _, f in ipairs(FIELDS) do
    local v = kv[f[1]]
    if v then
      out[f[2]] = f[3] and f[3](host, port, v) or v
    end
  end
  for _, extra in ipairs(EXTRAS) do
    local k, v = command(sock, table.unpack(extra[2]))
    if not k then break end
    if k ~= "error" then
      out[extra[1]] = extra[3](v)
    end
  end
  sock:close()
  return out
end
