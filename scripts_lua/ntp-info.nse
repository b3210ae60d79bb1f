local comm = require "comm"
local datetime = require "datetime"
local nmap = require "nmap"
local os = require "os"
local shortport = require "shortport"
local stdnse = require "stdnse"
local string = require "string"
local table = require "table"

description = [[
Asks an NTP server for the time (a client request, RFC 5905) and for its system
variables (an NTP control message READVAR, RFC 1305 appendix B): version, processor,
system, stratum, reference id and whatever else the server reports.
]]

---
-- @usage nmap -sU -p 123 --script ntp-info <target>
-- @output
-- 123/udp open  ntp
-- | ntp-info:
-- |   receive time stamp: 2024-01-02T03:04:05
-- |   version: ntpd 4.2.8p15@1.3728-o Wed Sep 23 11:46:38 UTC 2020 (1)
-- |   processor: x86_64
-- |   system: Linux/6.1.0-9-amd64
-- |   leap: 0
-- |   stratum: 2
-- |_  refid: 192.0.2.1

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"default", "discovery", "safe"}

portrule = shortport.port_or_service(123, "ntp", {"udp", "tcp"})

local TIMEOUT = 5000
-- Shown at verbosity 0 (nmap -v0); otherwise every variable is shown.
local SHORT = {"version", "processor", "system", "refid", "stratum"}

-- A version 3 client request (LI 3, mode 3, stratum 0, poll 4, precision -6) with a
-- transmit time stamp the server copies into its answer.
local TIME_REQUEST = "\xd3\x00\x04\xfa\x00\x01\x00\x00\x00\x01\x00\x00"
  .. string.rep("\0", 28) .. "\xff\xff\xff\xff\xff\xff\xff\x00"
-- Control message: version 2, mode 6, opcode 2 (read variables), sequence 1,
-- association 0 (the system variables).
local READVAR = "\x16\x02\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00"

-- The variables of a READVAR answer: "key=value" items separated by commas, values
-- optionally quoted with backslash escapes for \\ and \". Calls add(key, value).
local function parse_vars(data, add)
  local pos = 1
  while pos <= #data do
    local s, e = data:find("^%s*", pos)
    pos = e + 1
    local key = data:match("^[%w_%-%.]+", pos)
    if not key then return end
    pos = pos + #key
    if data:sub(pos, pos) == "=" then pos = pos + 1 end
    local value
    if data:sub(pos, pos) == '"' then
      local parts, i = {}, pos + 1
      while true do
        local c = data:sub(i, i)
        if c == "" then return end -- unterminated quote: stop here
        if c == '"' then break end
        local nxt = data:sub(i + 1, i + 1)
        if c == "\\" and (nxt == "\\" or nxt == '"') then
          parts[#parts + 1] = nxt
          i = i + 2
        else
          parts[#parts + 1] = c
          i = i + 1
        end
      end
      value = table.concat(parts)
      pos = i + 1
    else
      value = data:match("^[^,]*", pos)
      pos = pos + #value
    end
    add(key, value)
    if data:sub(pos, pos) == "," then pos = pos + 1 end
  end
end

action = function(host, port)
  local out = stdnse.output_table()
  local ok, reply = comm.exchange(host, port, TIME_REQUEST, {timeout = TIMEOUT})
  if ok and #reply >= 40 then
    local now = os.time()
    -- receive time stamp (seconds since 1900, fraction); nmap scales the fraction by
    -- 2^28, not 2^32, and prints the result: we do the same so the times agree
    local sec, frac = string.unpack(">I4I4", reply, 33)
    local stamp = sec - 2208988800 + frac / 0x10000000
    datetime.record_skew(host, stamp, now)
    out["receive time stamp"] = datetime.format_timestamp(stamp)
  end
  ok, reply = comm.exchange(host, port, READVAR, {timeout = TIMEOUT})
  if ok and #reply >= 12 then
    local len = string.unpack(">I2", reply, 11)
    parse_vars(reply:sub(13, 12 + len), function(k, v) out[k] = v end)
  end
  if #out == 0 then return nil end
  nmap.set_port_state(host, port, "open")
  if out.version then
    local v = out.version:match("^ntpd ([^ ]+)")
    if v then
      port.version.version = "v" .. v
      nmap.set_port_version(host, port, "hardmatched")
    end
  end
  if out.system then
    port.version.ostype = out.system
    nmap.set_port_version(host, port, "hardmatched")
  end
  if nmap.verbosity() < 1 then
    local lines = {}
    for _, k in ipairs(SHORT) do
      if out[k] ~= nil then lines[#lines + 1] = ("%s: %s"):format(k, out[k]) end
    end
    return out, "\n  " .. table.concat(lines, "\n  ")
  end
  return out
end
