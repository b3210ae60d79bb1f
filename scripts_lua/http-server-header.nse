local comm = require "comm"
local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"
local string = require "string"
local table = require "table"

description = [[
Shows the Server header of a web server, also when version detection did not name the
product (and fills in the product then).
]]

---
-- @usage nmap -sV -p 80 --script http-server-header <target>
-- @output
-- 80/tcp open  http
-- |_http-server-header: nginx/1.22.1

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"version"}

portrule = function(host, port)
  return shortport.http(host, port) and nmap.version_intensity() >= 7
end

action = function(host, port)
  local answers = {}
  local sock, data = comm.tryssl(host, port, "GET / HTTP/1.0\r\n\r\n")
  if not sock then return nil end
  sock:close()
  answers[1] = data
  sock, data = comm.tryssl(host, port,
    ("GET / HTTP/1.1\r\nHost: %s\r\n\r\n"):format(stdnse.get_hostname(host)))
  if sock then
    sock:close()
    answers[#answers + 1] = data
  end

  port.version = port.version or {}
  local servers, seen = {}, {}
  for _, answer in ipairs(answers) do
    if answer:match("^HTTP/1.[01] %d%d%d") then
      local server = answer:match("\n[Ss][Ee][Rr][Vv][Ee][Rr]:[ \t]*(.-)\r?\n")
      if port.version.product == nil and (port.version.name_confidence or 0) <= 3 then
        port.version.service = "http"
        port.version.product = server
        nmap.set_port_version(host, port, "softmatched")
      elseif port.version.product == server then
        server = nil -- version detection already said so
      end
      if server and not seen[server] then
        seen[server] = true
        servers[#servers + 1] = server
      end
    end
  end
  if #servers == 0 then return nil end
  table.sort(servers)
  local shown = {}
  for i, s in ipairs(servers) do shown[i] = s == "" and "<empty>" or s end
  return servers, (#servers > 1 and "\n  " or "") .. table.concat(shown, "\n  ")
end
