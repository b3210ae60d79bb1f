local http = require "http"
local nmap = require "nmap"
local shortport = require "shortport"
local table = require "table"

description = [[
Lists the paths a site's /robots.txt disallows (crawlers are asked to stay away from
them, which often makes them interesting).
]]

---
-- @usage nmap -p 80 --script http-robots.txt <target>
-- @output
-- 80/tcp open  http
-- | http-robots.txt: 2 disallowed entries
-- |_/admin/ /private/

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"default", "discovery", "safe"}

portrule = shortport.http

-- Wrap after about 50 characters of paths on one output line.
local LINE = 50

-- The distinct Disallow paths, each prefixed with "\n" when it starts a new line.
local function disallowed(body)
  local out, width = {}, 0
  for line in body:gmatch("[^\r\n]+") do
    for path in line:gmatch("[Dd]isallow:%s*(.*)") do
      path = path:gsub("%s*#.*", "")
      local dup = path == ""
      for _, seen in ipairs(out) do
        if path == seen or path == seen:sub(2) then dup = true end
      end
      if not dup then
        local nl = ""
        if width == 0 or width + #path <= LINE then
          width = width + #path
        else
          width = 0
          nl = "\n"
        end
        out[#out + 1] = nl .. path
      end
    end
  end
  return out
end

action = function(host, port)
  local resp = http.get(host, port, "/robots.txt")
  if resp.status ~= 200 then return nil end
  local paths = disallowed(resp.body or "")
  local count = #paths
  if count == 0 then return nil end
  -- how many to show: 15, 40 at -vv (or -d), all at higher levels
  local level = nmap.verbosity() + nmap.debugging() * 2
  local detail = 15
  if level > 1 and level < 5 then
    detail = 40
  elseif level >= 5 then
    detail = count
  end
  if detail > count then detail = count end
  local shown = (detail == 0 or detail == count) and "\n" or ("(" .. detail .. " shown)\n")
  return count .. " disallowed " .. (count == 1 and "entry " or "entries ") .. shown
    .. table.concat(paths, " ", 1, detail)
end
