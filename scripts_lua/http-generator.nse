local http = require "http"
local shortport = require "shortport"
local stdnse = require "stdnse"
local stringaux = require "stringaux"

description = [[
Shows the content of a page's <meta name="generator"> tag (the CMS or tool that made
the site, often with its version).
]]

---
-- @usage nmap -p 80 --script http-generator <target>
-- @args http-generator.path the page to read (default /)
-- @args http-generator.redirects how many redirects to follow (default 3)
-- @output
-- 80/tcp open  http
-- |_http-generator: WordPress 6.4.2

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"default", "discovery", "safe"}

portrule = shortport.http

action = function(host, port)
  local path = stdnse.get_script_args(SCRIPT_NAME .. ".path") or "/"
  local redirects = tonumber(stdnse.get_script_args(SCRIPT_NAME .. ".redirects")) or 3
  -- case-insensitive, either quote, optional self-closing slash
  local pattern = stringaux.ipattern(
    "<meta name=[\"']?generator[\"']? content=[\"']([^\"']*)[\"'] ?/?>")
  local resp = http.get(host, port, path, {redirect_ok = redirects})
  if resp and resp.body then
    return resp.body:match(pattern)
  end
end
