local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"
local string = require "string"
local table = require "table"

description = [[
Reads a VNC server's protocol version and the security types it offers (RFB protocol,
RFC 6143 section 7.1), with the VeNCrypt subtypes when it offers VeNCrypt, and warns
when it lets clients in without authentication.
]]

---
-- @usage nmap -p 5900 --script vnc-info <target>
-- @output
-- 5900/tcp open  vnc
-- | vnc-info:
-- |   Protocol version: 3.8
-- |   Security types:
-- |     VNC Authentication (2)
-- |_    None (1)
--
-- @xmloutput
-- <elem key="Protocol version">3.8</elem>
-- <table key="Security types">
--   <table>
--     <elem key="name">VNC Authentication</elem>
--     <elem key="type">2</elem>
--   </table>
-- </table>

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"default", "discovery", "safe"}

portrule = shortport.port_or_service({5900, 5901, 5902}, "vnc", "tcp", "open")

-- RFB versions we know and the short names printed for them.
local VERSIONS = {
  ["RFB 003.003"] = "3.3",
  ["RFB 003.007"] = "3.7",
  ["RFB 003.008"] = "3.8",
  ["RFB 003.889"] = "3.889", -- Apple's screen sharing
}
local KNOWN = {"RFB 003.003", "RFB 003.007", "RFB 003.008", "RFB 003.889"}

-- Security type names (IANA "RFB Security Types" registry).
local SECTYPES = {
  [0] = "Invalid security type", [1] = "None", [2] = "VNC Authentication",
  [5] = "RA2", [6] = "RA2ne", [16] = "Tight", [17] = "Ultra", [18] = "TLS",
  [19] = "VeNCrypt", [20] = "GTK-VNC SASL", [21] = "MD5 hash authentication",
  [22] = "Colin Dean xvp", [30] = "Apple Remote Desktop", [35] = "Mac OS X security type",
  [0xfffffffa] = "UltraVNC MS Logon",
}
local VENCRYPT = {
  [256] = "Plain", [257] = "None, Anonymous TLS", [258] = "VNC auth, Anonymous TLS",
  [259] = "Plain, Anonymous TLS", [260] = "None, Server-authenticated TLS",
  [261] = "VNC auth, Server-authenticated TLS", [262] = "Plain, Server-authenticated TLS",
  [263] = "SASL, Server-authenticated TLS", [264] = "SASL, Anonymous TLS",
}

local type_mt = {
  __tostring = function(t) return ("%s (%s)"):format(t.name, t.type) end,
}

local function named(list, names)
  local out = {}
  for _, code in ipairs(list) do
    out[#out + 1] = setmetatable({name = names[code] or "Unknown security type", type = code},
      type_mt)
  end
  return out
end

local function read(sock, n)
  local ok, data = sock:receive_buf(function(buf)
    if #buf >= n then return n, n end
  end, true)
  if not ok then return nil, data end
  return data
end

-- Version exchange and the list of security types: version string, types, or nil, err.
local function handshake(sock)
  local ok, line = sock:receive_buf(function(buf)
    local i, j = buf:find("[\r\n]+")
    if i then return i, j end
    if #buf > 16 then return 17, 16 end
  end, true)
  if not ok or not line:match("^RFB %d%d%d%.%d%d%d[\r\n]") then
    return nil, "Not a VNC port."
  end
  local server = line:sub(1, 11)
  local version = VERSIONS[server]
  local reply = server
  if not version then
    -- unknown version: answer with the highest known one below it
    version = server:match("^RFB (%d+%.%d+)")
    reply = nil
    for _, v in ipairs(KNOWN) do
      if v >= server then break end
      reply = v
    end
    reply = reply or "RFB 003.889"
  end
  if not sock:send(reply .. "\n") then return nil, "ERROR: VNC:handshake failed" end
  local types = {}
  if VERSIONS[reply] == "3.3" then
    -- RFB 3.3: the server picks one type, sent as a 32-bit number (0: failure)
    local data = read(sock, 4)
    if not data then return nil, "VNC:handshake failed to receive security data" end
    types[1] = string.unpack(">I4", data)
  else
    local data = read(sock, 1)
    if not data then return nil, "ERROR: VNC:handshake failed to receive security data" end
    local count = data:byte()
    if count > 0 then
      data = read(sock, count)
      if not data then return nil, "ERROR: VNC:handshake failed to receive security data" end
      for i = 1, count do types[i] = data:byte(i) end
    end
  end
  if #types == 0 or types[1] == 0 and #types == 1 then
    -- a failure: a reason string follows
    local len = read(sock, 4)
    local reason = len and read(sock, string.unpack(">I4", len))
    return nil, reason or "VNC:handshake failed"
  end
  return version, types
end

-- VeNCrypt (type 19): version 0.2 exchange, then the list of 32-bit subtypes.
local function vencrypt_subtypes(sock)
  sock:send("\x13")
  local v = read(sock, 2)
  if not v or v ~= "\0\2" then return nil end
  sock:send("\0\2")
  local ack = read(sock, 1)
  if ack ~= "\0" then return nil end
  local n = read(sock, 1)
  if not n or n:byte() == 0 then return nil end
  local data = read(sock, n:byte() * 4)
  if not data then return nil end
  local out, pos = {}, 1
  for i = 1, n:byte() do
    out[i], pos = string.unpack(">I4", data, pos)
  end
  return out
end

local function has(list, code)
  for _, c in ipairs(list) do
    if c == code then return true end
  end
  return false
end

local function fail(msg) return stdnse.format_output(false, msg) end

action = function(host, port)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  local ok, err = sock:connect(host, port, "tcp")
  if not ok then return fail(err) end
  local version, types = handshake(sock)
  if not version then
    sock:close()
    return fail(types)
  end
  local out = stdnse.output_table()
  out["Protocol version"] = version
  if #types > 0 then
    out["Security types"] = named(types, SECTYPES)
  end
  local no_auth = has(types, 1)
  if has(types, 19) then
    local subtypes = vencrypt_subtypes(sock)
    if subtypes then
      out["VeNCrypt auth subtypes"] = named(subtypes, VENCRYPT)
      if has(subtypes, 257) then no_auth = true end
    end
  end
  sock:close()
  if no_auth then
    out["WARNING"] = "Server does not require authentication"
  end
  return out
end
