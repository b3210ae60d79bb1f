local dns = require "dns"
local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"
local string = require "string"

description = [[
Asks a DNS server who it is: the EDNS0 name server identifier (NSID, RFC 5001), the
CHAOS TXT record id.server and the CHAOS TXT record version.bind.
]]

---
-- @usage nmap -sSU -p 53 --script dns-nsid <target>
-- @output
-- 53/udp open  domain
-- | dns-nsid:
-- |   NSID: ns1.example (6E73312E6578616D706C65)
-- |   id.server: ns1.example
-- |_  bind.version: 9.18.16-1-Debian
--
-- @xmloutput
-- <table key="NSID">
--   <elem key="raw">ns1.example</elem>
--   <elem key="hex">6E73312E6578616D706C65</elem>
-- </table>
-- <elem key="id.server">ns1.example</elem>
-- <elem key="bind.version">9.18.16-1-Debian</elem>

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"default", "discovery", "safe"}

portrule = function(host, port)
  if not shortport.port_or_service(53, "domain", {"tcp", "udp"})(host, port) then
    return false
  end
  -- over TCP only when the UDP port is not known to be open (it would say the same)
  if port.protocol == "tcp" then
    local udp = nmap.get_port_state(host, {number = port.number, protocol = "udp"})
    if udp then return not udp.state:match("^open") end
  end
  return true
end

-- The first record of `records` carrying the `field` table and data: for OPT, the data
-- of its first option (which must fill the record); otherwise the first TXT string.
local function first_value(records, field)
  for _, rec in ipairs(records or {}) do
    if rec[field] and #rec.data > 0 then
      if rec.dtype == dns.types.OPT then
        if #rec.data < 4 then return nil end
        local len, pos = string.unpack(">I2", rec.data, 3)
        if len ~= #rec.data - pos + 1 then return nil end
        return rec.data:sub(pos, pos + len - 1)
      end
      return (string.unpack(">s1", rec.data))
    end
  end
end

action = function(host, port)
  local out = stdnse.output_table()
  local found = false
  local opts = {host = host.ip, port = port.number, proto = port.protocol, dtype = "TXT",
    class = dns.CLASS.CH, retAll = true, retPkt = true, nsid = true, dnssec = true}
  local ok, pkt = dns.query("id.server", opts)
  if ok then
    local nsid = first_value(pkt.add, "OPT")
    if nsid then
      found = true
      out["NSID"] = setmetatable({raw = nsid, hex = stdnse.tohex(nsid)}, {
        __tostring = function(t) return ("%s (%s)"):format(t.raw, t.hex) end,
      })
    end
    local id = first_value(pkt.answers, "TXT")
    if id then
      found = true
      out["id.server"] = id
    end
  end
  local version
  ok, version = dns.query("version.bind", {host = host.ip, port = port.number,
    proto = port.protocol, dtype = "TXT", class = dns.CLASS.CH})
  if ok then
    found = true
    out["bind.version"] = version
  end
  if found then return out end
end
