local mysql = require "mysql"
local nmap = require "nmap"
local stdnse = require "stdnse"
local table = require "table"

description = [[
Reads the greeting a MySQL or MariaDB server sends on connect: protocol, version,
thread id, capability flags, status, salt and authentication plugin.
]]

---
-- @usage nmap -p 3306 --script mysql-info <target>
-- @output
-- 3306/tcp open  mysql
-- | mysql-info:
-- |   Protocol: 10
-- |   Version: 10.11.3-MariaDB-1
-- |   Thread ID: 31
-- |   Capabilities flags: 63486
-- |   Some Capabilities: FoundRows, LongColumnFlag, ConnectWithDatabase, ...
-- |   Status: Autocommit
-- |   Salt: 5S'l}gx%2Sw>#X>Ol[GF
-- |_  Auth Plugin Name: mysql_native_password

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"default", "discovery", "safe"}

portrule = function(host, port)
  local extra = port.version.extrainfo
  -- version detection already found a server that refuses us
  local refused = extra ~= nil and (extra:match("[Uu]nauthorized")
    or extra:match("[Tt]oo many connection"))
  return (port.number == 3306 or port.service == "mysql") and port.protocol == "tcp"
    and port.state == "open" and not refused
end

-- Names of the flags set in `value`, in the order of their bits.
local function flag_names(value, names)
  local bits = {}
  for name, bit in pairs(names) do bits[#bits + 1] = {bit, name} end
  table.sort(bits, function(a, b) return a[1] < b[1] end)
  local out = {}
  for _, b in ipairs(bits) do
    if value & b[1] > 0 then out[#out + 1] = b[2] end
  end
  return out
end

action = function(host, port)
  local sock = nmap.new_socket()
  local ok, err = sock:connect(host, port)
  if not ok then
    stdnse.debug1("cannot connect: %s", err)
    return nil
  end
  local out = stdnse.output_table()
  local info
  ok, info = mysql.receiveGreeting(sock)
  sock:close()
  if not ok then
    stdnse.debug1("MySQL error: %s", info)
    out["MySQL Error"] = info
    return nmap.verbosity() > 1 and out or nil
  end
  out["Protocol"] = info.proto
  out["Version"] = info.version
  out["Thread ID"] = info.threadid
  if info.proto == 10 then
    out["Capabilities flags"] = info.capabilities
    local caps = flag_names(info.capabilities, mysql.Capabilities)
    if info.extcapabilities then
      for _, name in ipairs(flag_names(info.extcapabilities, mysql.ExtCapabilities)) do
        caps[#caps + 1] = name
      end
    end
    if #caps > 0 then
      out["Some Capabilities"] = setmetatable(caps, {
        __tostring = function(self) return table.concat(self, ", ") end,
      })
    end
    out["Status"] = info.status == 2 and "Autocommit" or info.status
    out["Salt"] = info.salt
    out["Auth Plugin Name"] = info.auth_plugin_name
  end
  return out
end
