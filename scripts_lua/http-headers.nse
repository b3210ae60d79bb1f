local http = require "http"
local shortport = require "shortport"
local stdnse = require "stdnse"
local table = require "table"

description = [[
Shows the HTTP headers a web server sends for its default page (with HEAD when the
server answers HEAD properly, GET otherwise).
]]

---
-- @usage nmap -p 80 --script http-headers <target>
-- @args http-headers.path the path to request (default /)
-- @args http-headers.useget use GET instead of trying HEAD first
-- @output
-- 80/tcp open  http
-- | http-headers:
-- |   Server: nginx/1.22.1
-- |   Date: Thu, 01 Jan 2026 00:00:00 GMT
-- |   Content-Type: text/html
-- |   Connection: close
-- |
-- |_  (Request type: HEAD)

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"discovery", "safe"}

portrule = shortport.http

action = function(host, port)
  local path = stdnse.get_script_args(SCRIPT_NAME .. ".path") or "/"
  local useget = stdnse.get_script_args(SCRIPT_NAME .. ".useget")
  local method, ok, resp = "HEAD", false, nil
  if useget == nil then
    ok, resp = http.can_use_head(host, port, nil, path)
  end
  if not ok then
    resp = http.get(host, port, path)
    method = "GET"
  end
  if not (resp and resp.status) then
    return stdnse.format_output(false, "Header request failed")
  end
  table.insert(resp.rawheader, "(Request type: " .. method .. ")")
  return stdnse.format_output(true, resp.rawheader)
end
