local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"
local string = require "string"
local table = require "table"

description = [[
Reads a VNC server's protocol version and the security types it offers (RFB protocol,
RFC 6143 section 7.1).  For the types that carry their own negotiation it lists what
is inside: the VeNCrypt auth subtypes, the Tight tunnel and auth capabilities (or an
ATEN iKVM's variant of Tight), and the security types offered inside TLS.  Warns when
the server lets clients in without authentication.
]]

---
-- @usage nmap -p 5900 --script vnc-info <target>
-- @output
-- 5900/tcp open  vnc
-- | vnc-info:
-- |   Protocol version: 3.8
-- |   Security types:
-- |     VNC Authentication (2)
-- |     Tight (16)
-- |   Tight auth tunnels:
-- |     TGHT NOTUNNEL (0)
-- |   Tight auth subtypes:
-- |     STDV NOAUTH__ (1)
-- |     STDV VNCAUTH_ (2)
-- |_  WARNING: Server does not require authentication
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

-- A Tight capability (tunnel or authentication type): code, 4-byte vendor, 8-byte name.
local cap_mt = {
  __tostring = function(c) return ("%s %s (%d)"):format(c.vendor, c.signature, c.code) end,
}

-- Tight (type 16, TightVNC's protocol extension): a list of tunnel capabilities (we
-- answer with the code of the one we take, NOTUNNEL when offered), then a list of
-- authentication capabilities.  Returns {tunnels = caps, types = caps}, or "aten" for
-- an ATEN iKVM (it answers type 16 with 24 bytes of its own at once), or nil, err.
local function tight_caps(sock)
  local ok, buf = sock:receive_bytes(4)
  if not ok then return nil, "no Tight tunnel count" end
  -- 24 bytes in one read may be an ATEN's answer: kept as the fallback while the bytes
  -- parse as Tight, given up once more than 24 bytes came
  local aten = #buf == 24
  local pos = 1
  local function need(n)
    local have = #buf - pos + 1
    if have >= n then return true end
    local ok2, more = sock:receive_bytes(n - have)
    if not ok2 then return false end
    buf = buf .. more
    if #buf > 24 then aten = false end
    return true
  end
  local function caps(count)
    local out = {}
    for i = 1, count do
      local code, vendor, signature
      code, vendor, signature, pos = string.unpack(">I4 c4 c8", buf, pos)
      out[i] = setmetatable({code = code, vendor = vendor, signature = signature}, cap_mt)
    end
    return out
  end
  -- counts above 65536 are no Tight list (an ATEN's bytes, or garbage)
  local ntunnels
  ntunnels, pos = string.unpack(">I4", buf, pos)
  if ntunnels > 0x10000 then
    if aten then return "aten" end
    return nil, "bad Tight tunnel count"
  end
  local tunnels = {}
  if ntunnels > 0 then
    if not need(16 * ntunnels) then
      if aten then return "aten" end
      return nil, "no Tight tunnel list"
    end
    tunnels = caps(ntunnels)
    local pick = tunnels[1].code
    for _, t in ipairs(tunnels) do
      if t.code == 0 then pick = 0 break end
    end
    sock:send(string.pack(">I4", pick))
  end
  if not need(4) then
    if aten then return "aten" end
    return nil, "no Tight auth type count"
  end
  local nauth
  nauth, pos = string.unpack(">I4", buf, pos)
  if nauth > 0x10000 then
    if aten then return "aten" end
    return nil, "bad Tight auth type count"
  end
  local types = {}
  if nauth > 0 then
    if not need(16 * nauth) then
      if aten then return "aten" end
      return nil, "no Tight auth type list"
    end
    types = caps(nauth)
  end
  -- 24 bytes came but the Tight lists used fewer of them: an ATEN after all
  if aten and pos < 24 then return "aten" end
  return {tunnels = tunnels, types = types}
end

-- TLS (type 18, VeNCrypt's predecessor): a TLS handshake, then inside it a new list of
-- security types as in the plain handshake.
local function tls_types(sock)
  sock:send("\x12")
  if not sock:reconnect_ssl() then return nil, "TLS handshake failed" end
  local data = read(sock, 1)
  if not data or data:byte() == 0 then return nil, "no security types inside TLS" end
  local count = data:byte()
  data = read(sock, count)
  if not data then return nil, "no security types inside TLS" end
  local types = {}
  for i = 1, count do types[i] = data:byte(i) end
  return types
end

local function has(list, code)
  for _, c in ipairs(list) do
    if c == code then return true end
  end
  return false
end

local function fail(msg) return stdnse.format_output(false, msg) end

-- A connection past the version exchange and the security type list: sock, version,
-- types, or nil, err.
local function open(host, port)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  local ok, err = sock:connect(host, port, "tcp")
  if not ok then return nil, err end
  local version, types = handshake(sock)
  if not version then
    sock:close()
    return nil, types
  end
  return sock, version, types
end

action = function(host, port)
  local sock, version, types = open(host, port)
  if not sock then return fail(version) end
  local out = stdnse.output_table()
  out["Protocol version"] = version
  if #types > 0 then
    out["Security types"] = named(types, SECTYPES)
  end
  local no_auth = has(types, 1)

  -- Each sub-handshake below commits the connection to one security type, so each
  -- one after the first needs a connection of its own.  (nmap 7.93's vnc-info asks a
  -- closed socket for get_info here and dies with "socket must be connected" when a
  -- server offers two of these types; we reconnect.)
  local function connection()
    if sock then return sock end
    local s = open(host, port)
    return s
  end
  local function done()
    if sock then sock:close() end
    sock = nil
  end

  if has(types, 19) then
    local subtypes = vencrypt_subtypes(sock)
    if subtypes then
      out["VeNCrypt auth subtypes"] = named(subtypes, VENCRYPT)
      -- only "None, Anonymous TLS" counts as no authentication, as in nmap
      if has(subtypes, 257) then no_auth = true end
    else
      stdnse.debug1("VeNCrypt sub-handshake failed")
    end
    done()
  end

  if has(types, 16) then
    sock = connection()
    local caps, err
    if sock then
      sock:send("\x10")
      caps, err = tight_caps(sock)
    end
    if caps == "aten" then
      out["Tight auth"] = "ATEN KVM VNC"
    elseif caps then
      if #caps.tunnels > 0 then
        out["Tight auth tunnels"] = caps.tunnels
      end
      if #caps.types == 0 then
        no_auth = true
        out["Tight auth subtypes"] = {"None"}
      else
        for _, t in ipairs(caps.types) do
          if t.code == 1 then no_auth = true end
        end
        out["Tight auth subtypes"] = caps.types
      end
    else
      stdnse.debug1("Tight sub-handshake failed: %s", err or "no connection")
    end
    done()
  end

  if has(types, 18) then
    sock = connection()
    local inner, err
    if sock then inner, err = tls_types(sock) end
    if inner then
      out["TLS auth subtypes"] = named(inner, SECTYPES)
      if has(inner, 1) then no_auth = true end
    else
      stdnse.debug1("TLS sub-handshake failed: %s", err or "no connection")
    end
  end
  done()

  if no_auth then
    out["WARNING"] = "Server does not require authentication"
  end
  return out
end
