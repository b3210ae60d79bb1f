local datetime = require "datetime"
local nmap = require "nmap"
local shortport = require "shortport"
local snmp = require "snmp"
local string = require "string"

description = [[
Reads the system description (sysDescr.0) and uptime (sysUpTime.0) of an SNMP agent.
]]

---
-- @usage nmap -sU -p 161 --script snmp-sysdescr <target>
-- @args snmp.version v1 (default) or v2c; creds.snmp the community (default "public")
-- @output
-- 161/udp open  snmp
-- | snmp-sysdescr: Linux box 6.1.0-9-amd64 #1 SMP x86_64
-- |_  System uptime: 2d03h04m05.67s (18504567 timeticks)

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"default", "discovery", "safe"}

portrule = shortport.port_or_service(161, "snmp", "udp", {"open", "open|filtered"})

local SYS_DESCR = "1.3.6.1.2.1.1.1.0"
local SYS_UPTIME = "1.3.6.1.2.1.1.3.0"

action = function(host, port)
  local agent = snmp.Helper:new(host, port)
  agent:connect()
  local ok, values = agent:get({reqId = 28428}, SYS_DESCR)
  if not ok then return nil end
  nmap.set_port_state(host, port, "open")
  local descr = values and values[1] and values[1][1]
  ok, values = agent:get({reqId = 28428}, SYS_UPTIME)
  if not ok then return descr end
  local ticks = values and values[1] and values[1][1]
  if not ticks then return nil end
  -- TimeTicks count hundredths of a second (RFC 2578 7.1.8)
  return descr .. "\n" .. ("  System uptime: %s (%s timeticks)"):format(
    datetime.format_time(ticks, 100), tostring(ticks))
end
