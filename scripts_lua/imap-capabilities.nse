local imap = require "imap"
local shortport = require "shortport"
local stdnse = require "stdnse"
local table = require "table"

description = [[
Lists the capabilities an IMAP server announces in answer to CAPABILITY (RFC 3501).
]]

---
-- @usage nmap -p 143,993 --script imap-capabilities <target>
-- @output
-- 143/tcp open  imap
-- |_imap-capabilities: IMAP4rev1 LITERAL+ SASL-IR IDLE STARTTLS AUTH=PLAIN

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"default", "safe"}

portrule = shortport.port_or_service({143, 993}, {"imap", "imaps"})

action = function(host, port)
  local helper = imap.Helper:new(host, port)
  if not helper:connect() then
    return stdnse.format_output(false, "Failed to connect to server")
  end
  local ok, capas = helper:capabilities()
  if not ok then
    return stdnse.format_output(false, "Failed to retrieve capabilities")
  end
  helper:close()
  if type(capas) == "table" then
    local words = {}
    for name in pairs(capas) do
      words[#words + 1] = name
    end
    return table.concat(words, " ")
  elseif type(capas) == "string" then
    stdnse.debug1("%s: %s", host.ip, capas)
    return nil
  end
  return "server doesn't support CAPABILITIES"
end
