local nmap = require "nmap"
local shortport = require "shortport"
local ssh2 = require "ssh2"
local stdnse = require "stdnse"
local string = require "string"
local table = require "table"

description = [[
Lists the algorithms an SSH-2 server offers in its KEXINIT (RFC 4253 7.1): key
exchange, host key, encryption, MAC and compression, with their counts. A list that is
the same in both directions is shown once.
]]

---
-- @usage nmap -p 22 --script ssh2-enum-algos <target>
-- @output
-- 22/tcp open  ssh
-- | ssh2-enum-algos:
-- |   kex_algorithms: (2)
-- |       curve25519-sha256
-- |       diffie-hellman-group14-sha256
-- |   server_host_key_algorithms: (1)
-- |       ssh-ed25519
-- |   encryption_algorithms: (1)
-- |       aes128-ctr
-- |   mac_algorithms: (1)
-- |       hmac-sha2-256
-- |   compression_algorithms: (1)
-- |_      none

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"safe", "discovery"}

portrule = shortport.ssh

local function split(list)
  local out = {}
  if list == "" then return out end
  for item in (list .. ","):gmatch("(.-),") do out[#out + 1] = item end
  return out
end

-- Each list prints its count, and with -v (nmap's default verbosity) its items.
local function shown(items)
  return setmetatable(items, {__tostring = function(t)
    if nmap.verbosity() > 0 then
      return ("(%d)\n      %s"):format(#t, table.concat(t, "\n      "))
    end
    return ("(%d)"):format(#t)
  end})
end

action = function(host, port)
  local sock = nmap.new_socket()
  if not sock:connect(host, port) then return nil end
  if not sock:send("SSH-2.0-Nmap_SSH2_Enum_Algos\r\n") or
      not sock:receive_buf("\r?\n", false) then
    sock:close()
    return nil
  end
  local t = ssh2.transport
  if not sock:send(t.build(t.kex_init())) then
    sock:close()
    return nil
  end
  local ok, packet = t.receive_packet(sock)
  sock:close()
  if not ok then return nil end
  local kex = t.parse_kex_init(t.payload(packet))
  if not kex.kex_algorithms then return nil end

  local names = {"kex_algorithms", "server_host_key_algorithms"}
  for _, base in ipairs({"encryption_algorithms", "mac_algorithms",
      "compression_algorithms"}) do
    local c2s, s2c = base .. "_client_to_server", base .. "_server_to_client"
    if kex[c2s] == kex[s2c] then
      kex[base] = kex[c2s]
      names[#names + 1] = base
    else
      names[#names + 1] = c2s
      names[#names + 1] = s2c
    end
  end
  local out = stdnse.output_table()
  for _, name in ipairs(names) do
    out[name] = shown(split(kex[name]))
  end
  return out
end
