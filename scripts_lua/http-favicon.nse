local datafiles = require "datafiles"
local http = require "http"
local nmap = require "nmap"
local openssl = require "openssl"
local shortport = require "shortport"
local stdnse = require "stdnse"
local string = require "string"
local url = require "url"

description = [[
Fetches a site's favicon (the one its page links to with rel="icon", else
/favicon.ico) and names the application it belongs to from the MD5 of the icon, using
the favicon database of nmap's data directory (nselib/data/favicon-db). Unknown icons
(or all icons, when there is no database) are shown by their MD5 with -v.
]]

---
-- @usage nmap -p 80 --script http-favicon <target>
-- @args favicon.uri the icon's URI (skips looking at the page)
-- @args favicon.root the folder of the site (default /)
-- @output
-- 80/tcp open  http
-- |_http-favicon: Apache on Mac OS X

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"default", "discovery", "safe"}

portrule = shortport.http

-- The href of the first <link> whose rel has the word "icon".
local function icon_href(body)
  local pos = 0
  while true do
    local _, e = body:find("<%s*[Ll][Ii][Nn][Kk]%s", pos + 1)
    if not e then return nil end
    pos = e
    local rel, href
    local j = e
    while true do
      local _, k, name, _, value = body:find("^%s*(%w+)%s*=%s*([\"'])(.-)%2", j + 1)
      if not k then break end
      j = k
      name = name:lower()
      if name == "rel" then rel = value elseif name == "href" then href = value end
    end
    for word in (rel or ""):gmatch("%S+") do
      if word:lower() == "icon" then return href end
    end
  end
end

-- host, port, path of a link relative to the page in `root`.
local function resolve(link, host, port, root)
  local u = url.parse(link)
  local scheme = u.scheme or "http"
  if scheme ~= "http" and scheme ~= "https" then return nil end
  local path = u.path or ""
  if not path:find("^/") then
    path = (root:match("^(.*)/") or "") .. "/" .. path
  end
  return u.host or host, u.port or url.get_default_port(scheme), path
end

action = function(host, port)
  local ok, db = datafiles.parse_file("nselib/data/favicon-db",
    {["^%s*([^%s#:]+)[%s:]+"] = "^%s*[^%s#:]+[%s:]+(.*)"})
  if not ok then
    stdnse.debug1("no favicon database: icons are shown by their MD5")
    db = {}
  end
  local root = stdnse.get_script_args("favicon.root") or ""
  local uri = stdnse.get_script_args("favicon.uri")
  local answer
  if uri then
    answer = http.get(host, port, root .. "/" .. uri)
  else
    local page = http.get(host, port, root .. "/")
    if page.status == 200 or page.status == 503 then
      local href = page.body and icon_href(page.body)
      if href then
        local name = host.targetname or (host.name ~= "" and host.name) or host.ip
        local ihost, iport, ipath = resolve(href, name, port.number, root)
        -- only icons on this same server
        if (ihost == host.ip or ihost == host.targetname
            or ihost == (host.name ~= "" and host.name)) and iport == port.number then
          answer = http.get(ihost, iport, ipath)
        end
      end
    end
    if not answer or answer.status ~= 200 then
      answer = http.get(host, port, root .. "/favicon.ico")
    end
  end
  if not (answer and answer.status == 200) then
    stdnse.debug1("no favicon")
    return nil
  end
  local md5 = stdnse.tohex(openssl.md5(answer.body)):upper()
  if db[md5] then return db[md5] end
  if nmap.verbosity() > 0 then
    return "Unknown favicon MD5: " .. md5
  end
end
