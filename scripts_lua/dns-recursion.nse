local comm = require "comm"
local nmap = require "nmap"
local shortport = require "shortport"
local string = require "string"

description = [[
Tells whether a DNS server answers recursive queries for anyone: it asks for
www.wikipedia.org with "recursion desired" and looks at the answer's flags.
]]

---
-- @usage nmap -sU -p 53 --script dns-recursion <target>
-- @output
-- 53/udp open  domain
-- |_dns-recursion: Recursion appears to be enabled

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"default", "safe"}

portrule = shortport.portnumber(53, "udp")

-- RFC 1035 4.1.1 header (id 0xdead, RD set, one question), then www.wikipedia.org A IN.
local QUERY = "\xde\xad\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
  .. "\x03www\x09wikipedia\x03org\x00\x00\x01\x00\x01"

action = function(host, port)
  local ok, reply = comm.exchange(host, port, QUERY, {proto = "udp"})
  if not ok then return nil end
  nmap.set_port_state(host, port, "open")
  if #reply < 4 then return nil end
  local b3, b4 = reply:byte(3, 4)
  -- QR set (an answer), RA set, and RCODE with its 1 and 4 bits clear (not FORMERR,
  -- REFUSED, NXDOMAIN...)
  if b3 & 0x80 == 0x80 and b4 & 0x85 == 0x80 then
    return "Recursion appears to be enabled"
  end
  return nil
end
