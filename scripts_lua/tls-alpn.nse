local nmap = require "nmap"
local shortport = require "shortport"
local sslcert = require "sslcert"
local stdnse = require "stdnse"
local string = require "string"
local table = require "table"
local tls = require "tls"

description = [[
Lists the application protocols a TLS server accepts through ALPN (RFC 7301): it
offers a list of protocols, removes the one the server picks, and asks again until the
server picks none.
]]

---
-- @usage nmap -p 443 --script tls-alpn <target>
-- @output
-- 443/tcp open  https
-- | tls-alpn:
-- |   h2
-- |_  http/1.1

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"discovery", "safe", "default"}

portrule = function(host, port)
  return shortport.ssl(host, port) or sslcert.getPrepareTLSWithoutReconnect(port)
end

local ALPN = "application_layer_protocol_negotiation"

-- Protocol ids from the IANA "TLS Application-Layer Protocol Negotiation (ALPN)
-- Protocol IDs" registry, plus some in common use.
local PROTOCOLS = {
  "http/0.9", "http/1.0", "http/1.1", "spdy/1", "spdy/2", "spdy/3", "stun.turn",
  "stun.nat-discovery", "h2", "h2c", "webrtc", "c-webrtc", "ftp", "imap", "pop3",
  "managesieve", "coap", "xmpp-client", "xmpp-server", "acme-tls/1", "mqtt", "dot",
  "ntske/1", "sunrpc", "h3", "smb", "irc", "nntp", "nnsp", "doq", "grpc-exp",
}

local function ask(host, port, offer)
  local hello = tls.client_hello({protocol = "TLSv1.2",
    extensions = {[ALPN] = tls.EXTENSION_HELPERS[ALPN](offer)}})
  local sock, ok, err
  local starttls = sslcert.getPrepareTLSWithoutReconnect(port)
  if starttls then
    ok, sock = starttls(host, port)
    if not ok then return nil end
  else
    sock = nmap.new_socket()
    ok, err = sock:connect(host, port)
    if not ok then
      stdnse.debug1("cannot connect: %s", err)
      return nil
    end
  end
  sock:set_timeout(5000)
  local response
  ok, err = sock:send(hello)
  if ok then ok, response, err = tls.record_buffer(sock) end
  sock:close()
  if not ok then return nil end
  return response
end

-- The protocols in the ServerHello's ALPN extension (nil when there is none).
local function picked(response)
  local _, record = tls.record_read(response, 1)
  if not (record and record.type == "handshake" and record.body[1].type == "server_hello") then
    return nil
  end
  local ext = record.body[1].extensions
  local data = ext and ext[ALPN]
  if not data then return nil end
  data = string.unpack(">s2", data)
  local out, pos = {}, 1
  while pos <= #data do
    out[#out + 1], pos = string.unpack(">s1", data, pos)
  end
  return #out > 0 and out or nil
end

action = function(host, port)
  local offer = {}
  for i, p in ipairs(PROTOCOLS) do offer[i] = p end
  local chosen, seen = {}, {}
  while #offer > 0 do
    local response = ask(host, port, offer)
    local got = response and picked(response)
    if not got then break end
    local p = got[1]
    if not seen[p] then chosen[#chosen + 1] = p end
    seen[p] = true
    local removed = false
    for i, q in ipairs(offer) do
      if q == p then
        table.remove(offer, i)
        removed = true
        break
      end
    end
    -- a server that answers with a protocol we did not offer will not change its mind
    if not removed then break end
  end
  if #chosen > 0 then return chosen end
end
