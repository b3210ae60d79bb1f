local comm = require "comm"
local nmap = require "nmap"
local shortport = require "shortport"

description = [[
Asks a finger server (RFC 1288) who is logged in, with an empty query.
]]

---
-- @usage nmap -p 79 --script finger <target>
-- @output
-- 79/tcp open  finger
-- | finger:
-- | Login     Name       Tty      Idle  Login Time   Office     Office Phone
-- |_root      root      *tty1       1d  Jan  1 10:00

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"default", "discovery", "safe"}

portrule = shortport.port_or_service(79, "finger")

action = function(host, port)
  local try = nmap.new_try()
  -- a query of just CRLF lists the users (RFC 1288 2.5.1); read up to 100 lines
  return try(comm.exchange(host, port, "\r\n", {lines = 100, timeout = 5000}))
end
