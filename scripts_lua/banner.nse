local comm = require "comm"
local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"
local table = require "table"

description = [[
Connects to an open TCP port and prints whatever the service sends first (within five
seconds by default).  The banner is shortened to one line; each level of verbosity allows
one more line.
]]

---
-- @usage nmap -sV --script=banner <target>
-- @args banner.timeout how long to wait for the banner (a timespec, default 5s)
-- @args banner.ports which ports to try (a port range, or "common")
-- @output
-- 21/tcp open  ftp
-- |_banner: 220 FTP server ready

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"discovery", "safe"}

local ports = stdnse.get_script_args(SCRIPT_NAME .. ".ports")
if ports then
  if ports == "common" then
    ports = "13,17,21-23,25,129,194,587,990,992,994,6667,6697"
  end
  portrule = shortport.port_range((ports:gsub("^[T:]*", "T:")))
else
  portrule = function(host, port)
    return port.protocol == "tcp"
  end
end

-- Width nmap's normal output allows on one line for this script.
local WIDTH = 75

-- Escape bytes that are not printable ASCII as \xHH, stopping once `limit` characters
-- have been produced (the rest would be cut anyway).
local function escape(s, limit)
  local out, n = {}, 0
  for i = 1, #s do
    local c = s:sub(i, i)
    local b = c:byte()
    if b < 32 or b > 126 then
      c = string.format("\\x%02X", b)
    end
    out[#out + 1] = c
    n = n + #c
    if n >= limit then break end
  end
  return table.concat(out)
end

local function wrap(text)
  -- one more line per verbosity level above debugging (nmap's default verbosity is 1)
  local extra = nmap.verbosity() - nmap.debugging()
  if extra < 0 then extra = 0 end
  local first = WIDTH - 1 - #SCRIPT_NAME - 5
  local other = WIDTH - 1 - 3
  if first < 0 then first = 0 end
  local room = first > 0 and first + extra * other or (1 + extra) * other
  text = escape(text, room + 1)
  if #text > room then
    while #text > room do
      if text:sub(-4):match("\\x%x%x") then
        text = text:sub(1, -5)
      else
        text = text:sub(1, -2)
      end
    end
    text = text:sub(1, room - 3) .. "..."
  end
  local lines, width = {}, first
  while #text >= width do
    lines[#lines + 1] = width > 0 and text:sub(1, width) or " "
    text = text:sub(width + 1)
    width = other
  end
  lines[#lines + 1] = text
  return table.concat(lines, "\n")
end

action = function(host, port)
  local timeout = stdnse.parse_timespec(stdnse.get_script_args(SCRIPT_NAME .. ".timeout")) or 5
  local ok, data = comm.get_banner(host, port, {timeout = timeout * 1000})
  if not ok then
    stdnse.debug1("no banner from %s:%d: %s", host.ip, port.number, tostring(data))
    return nil
  end
  data = data:match("^%s*(.-)%s*$")
  if data == "" then return nil end
  return wrap(data)
end
