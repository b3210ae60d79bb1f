local http = require "http"
local nmap = require "nmap"
local rand = require "rand"
local shortport = require "shortport"
local stdnse = require "stdnse"
local string = require "string"
local table = require "table"

description = [[
Finds the HTTP methods a server supports: those its OPTIONS answer lists, plus GET,
HEAD, POST (and with test-all DELETE, PUT, CONNECT, TRACE) when trying them gets an
answer different from a made-up method's. Methods beyond GET, HEAD, POST and OPTIONS
are listed as potentially risky.
]]

---
-- @usage nmap -p 80 --script http-methods <target>
-- @args http-methods.url-path the path to test (default /)
-- @args http-methods.retest send each method once more and show the status lines
-- @args http-methods.test-all also try the unsafe methods not listed by OPTIONS
-- @output
-- 80/tcp open  http
-- | http-methods:
-- |   Supported Methods: GET HEAD POST OPTIONS PUT
-- |_  Potentially risky methods: PUT

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"default", "safe"}

portrule = shortport.http

local SAFE = {"GET", "HEAD", "POST", "OPTIONS"}
local UNSAFE = {"DELETE", "PUT", "CONNECT", "TRACE"}

local function contains(list, x)
  for _, v in ipairs(list) do if v == x then return true end end
  return false
end

local spaced = {__tostring = function(t) return table.concat(t, " ") end}

-- The methods named in the Allow and Public headers, without repeats.
local function listed(header)
  local out, seen = {}, {}
  for _, name in ipairs({"allow", "public"}) do
    local v = header[name]
    if v then
      local pos = 1
      while true do
        local i, j = v:find(",%s*", pos)
        local m = v:sub(pos, (i or 0) - 1)
        if not seen[m] then out[#out + 1] = m end
        seen[m] = true
        if not i then break end
        pos = j + 1
      end
    end
  end
  return out
end

-- A method "exists" unless refused (405, 501) or answered like a made-up method.
local function accepted(random, resp)
  if resp.status == 405 or resp.status == 501 then return false end
  if resp.status >= 400 and resp.status < 600 and resp.status == random.status then
    return false
  end
  return true
end

action = function(host, port)
  local path = stdnse.get_script_args(SCRIPT_NAME .. ".url-path") or "/"
  local retest = stdnse.get_script_args(SCRIPT_NAME .. ".retest") or false
  local test_all = stdnse.get_script_args(SCRIPT_NAME .. ".test-all") or false
  local out = stdnse.output_table()

  local resp = http.generic_request(host, port, "OPTIONS", path)
  local options_line = resp.status and resp["status-line"]
  local methods = listed(resp.header or {})

  local to_test = {}
  for _, m in ipairs(SAFE) do
    if not contains(methods, m) then to_test[#to_test + 1] = m end
  end
  if test_all then
    for _, m in ipairs(UNSAFE) do
      if not contains(methods, m) then to_test[#to_test + 1] = m end
    end
  end
  local random = http.generic_request(host, port, rand.random_alpha(4):upper(), path)
  local lines = {}
  for _, m in ipairs(to_test) do
    local r = http.generic_request(host, port, m, path)
    if r.status and accepted(random, r) then
      methods[#methods + 1] = m
      lines[m] = r["status-line"]
    end
  end

  if nmap.verbosity() > 0 and #methods > 0 then
    out["Supported Methods"] = setmetatable(methods, spaced)
  end
  local risky = {}
  for _, m in ipairs(methods) do
    if not contains(SAFE, m) then risky[#risky + 1] = m end
  end
  if #risky > 0 then
    out["Potentially risky methods"] = setmetatable(risky, spaced)
  end
  if path ~= "/" then out["Path tested"] = path end
  if retest then
    out["Status Lines"] = {}
    for _, m in ipairs(methods) do
      local line
      if m == "OPTIONS" then
        line = options_line
      elseif contains(to_test, m) then
        line = lines[m]
      else
        local r = http.generic_request(host, port, m, path)
        line = r.status and r["status-line"] or "Error getting response"
      end
      out["Status Lines"][m] = line:gsub("\r?\n?", "")
    end
  end
  if #out > 0 then return out end
end
