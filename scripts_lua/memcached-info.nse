local datetime = require "datetime"
local math = require "math"
local nmap = require "nmap"
local os = require "os"
local shortport = require "shortport"
local stdnse = require "stdnse"
local string = require "string"
local table = require "table"

description = [[
Asks a memcached server for "stats" and "stats settings" (over TCP or UDP) and shows its
process id, uptime, clock, architecture, CPU use, connections, ports and whether SASL
authentication is on.
]]

---
-- @usage nmap -p 11211 --script memcached-info <target>
-- @output
-- 11211/tcp open  memcached
-- | memcached-info:
-- |   Process ID: 18568
-- |   Uptime: 6950 seconds
-- |   Server time: 2018-03-02T03:35:09
-- |   Architecture: 64 bit
-- |   Used CPU (user): 0.172010
-- |   Used CPU (system): 0.200012
-- |   Current connections: 10
-- |   Total connections: 78
-- |   Maximum connections: 1024
-- |   TCP Port: 11211
-- |   UDP Port: 11211
-- |_  Authentication: no

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"discovery", "safe"}

portrule = shortport.port_or_service(11211, "memcached", {"tcp", "udp"})

-- Shown stats, in order: the stat name, its label, an optional formatter.
local FIELDS = {
  {"pid", "Process ID"},
  {"uptime", "Uptime", function(v) return ("%d seconds"):format(v) end},
  {"time", "Server time", datetime.format_timestamp},
  {"pointer_size", "Architecture", function(v) return v .. " bit" end},
  {"rusage_user", "Used CPU (user)"},
  {"rusage_system", "Used CPU (system)"},
  {"curr_connections", "Current connections"},
  {"total_connections", "Total connections"},
  {"maxconns", "Maximum connections"},
  {"tcpport", "TCP Port"},
  {"udpport", "UDP Port"},
  {"auth_enabled_sasl", "Authentication"},
}

-- A reply ends with a line END (or ERROR); stop reading after 2 kB of anything else.
local function reply_end(buf)
  local i, j = buf:find("%f[^\n\0]E[NR][DR]O?R?\r\n")
  if i then return i, j end
  if #buf > 2048 then return #buf + 1, #buf end
end

-- Send one command, return the whole reply. Over UDP each datagram carries the 8-byte
-- frame header of memcached's protocol.txt ("UDP protocol"): request id, sequence
-- number, number of datagrams, reserved.
local function exchange(sock, proto, req_id, cmd)
  if proto == "udp" then
    cmd = string.pack(">I2 I2 I2 I2", req_id, 0, 1, 0) .. cmd
  end
  if not sock:send(cmd) then return false, "Failed to send request to server" end
  if proto ~= "udp" then
    return sock:receive_buf(reply_end, true)
  end
  local parts, total, got = {}, nil, 0
  repeat
    local ok, dgram = sock:receive_bytes(8)
    if not ok then return false, "Failed to receive entire response" end
    local id, seq, count, pos = string.unpack(">I2 I2 I2 xx", dgram)
    if id == req_id and not parts[seq + 1] then
      parts[seq + 1] = dgram:sub(pos)
      total = count
      got = got + 1
    end
  until total and got >= total
  return true, table.concat(parts)
end

local function stats(text)
  local kv = {}
  for k, v in text:gmatch("%f[^\n\0]STAT ([^%s]*) (.-)\r\n") do
    kv[k] = v
  end
  return kv
end

local function fail(msg) return stdnse.format_output(false, msg) end

action = function(host, port)
  local sock = nmap.new_socket(port.protocol)
  sock:set_timeout(stdnse.get_timeout(host))
  if not sock:connect(host, port) then
    return fail("Failed to connect to server")
  end
  local req_id = math.random(0, 0xfff)
  local asked_at = os.time()
  local ok, reply = exchange(sock, port.protocol, req_id, "stats\r\n")
  if not ok then
    return fail(("Failed to send request to server: %s"):format(reply))
  end
  local kv = stats(reply)
  if kv.time then
    datetime.record_skew(host, kv.time, asked_at)
  end
  ok, reply = exchange(sock, port.protocol, req_id + 1, "stats settings\r\n")
  if not ok then
    return fail(("Failed to send request to server: %s"):format(reply))
  end
  for k, v in pairs(stats(reply)) do kv[k] = v end
  sock:close()
  local out = stdnse.output_table()
  for _, f in ipairs(FIELDS) do
    local v = kv[f[1]]
    if v then
      out[f[2]] = f[3] and f[3](v) or v
    end
  end
  return out
end
