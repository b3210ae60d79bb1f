local http = require "http"
local shortport = require "shortport"
local stdnse = require "stdnse"
local string = require "string"

description = [[
Shows the title of a web site's default page (and where a redirect went).
]]

---
-- @usage nmap -p 80 --script http-title <target>
-- @args http-title.url the path to fetch (default /)
-- @output
-- 80/tcp open  http
-- |_http-title: Welcome to nginx!
--
-- @xmloutput
-- <elem key="title">Welcome to nginx!</elem>
-- <elem key="redirect_url">http://example.com/start</elem>

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"default", "discovery", "safe"}

portrule = shortport.http

-- The longest title shown in normal output.
local MAX_TITLE = 65

action = function(host, port)
  local resp = http.get(host, port, stdnse.get_script_args(SCRIPT_NAME .. ".url") or "/")
  local redirect
  if resp.location then
    -- http.get followed redirects: the last place it went
    redirect = resp.location[#resp.location]
    if resp.status and tostring(resp.status):match("30%d") then
      return {redirect_url = redirect}, ("Did not follow redirect to %s"):format(redirect)
    end
  end
  if not resp.body then return nil end

  local title = resp.body:match("<[Tt][Ii][Tt][Ll][Ee][^>]*>([^<]*)</[Tt][Ii][Tt][Ll][Ee]>")
  local shown
  if title and title ~= "" then
    shown = title:gsub("[\n\r\t]", "")
    if #shown > MAX_TITLE then
      shown = shown:sub(1, MAX_TITLE - 3) .. "..."
    end
  else
    shown = "Site doesn't have a title"
    local ctype = resp.header and resp.header["content-type"]
    shown = shown .. (ctype and (" (%s)."):format(ctype) or ".")
  end
  local out = stdnse.output_table()
  out.title = title
  out.redirect_url = redirect
  if redirect then
    shown = shown .. "\n" .. ("Requested resource was %s"):format(redirect)
  end
  return out, shown
end
