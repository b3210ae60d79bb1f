local pop3 = require "pop3"
local shortport = require "shortport"
local stdnse = require "stdnse"
local table = require "table"

description = [[
Lists the capabilities a POP3 server announces in answer to CAPA (RFC 2449).
]]

---
-- @usage nmap -p 110,995 --script pop3-capabilities <target>
-- @output
-- 110/tcp open  pop3
-- |_pop3-capabilities: USER SASL(PLAIN LOGIN) TOP UIDL RESP-CODES PIPELINING

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"default", "discovery", "safe"}

portrule = shortport.port_or_service({110, 995}, {"pop3", "pop3s"})

action = function(host, port)
  local capas, err = pop3.capabilities(host, port)
  if type(capas) ~= "table" then
    if type(err) == "string" then
      stdnse.debug1("%s: %s", host.ip, err)
      return nil
    end
    return "server doesn't support CAPA"
  end
  -- CAPA refused (nmap's script fails here with a Lua error; we say what happened)
  if capas.capa == false then
    return "server doesn't support CAPA"
  end
  local words = {}
  for name, args in pairs(capas) do
    -- "capa = false" (CAPA refused) has no arguments to show
    if type(args) == "table" and #args > 0 then
      words[#words + 1] = ("%s(%s)"):format(name, table.concat(args, " "))
    else
      words[#words + 1] = name
    end
  end
  return table.concat(words, " ")
end
