local datetime = require "datetime"
local http = require "http"
local os = require "os"
local shortport = require "shortport"
local stdnse = require "stdnse"
local string = require "string"

description = [[
Shows the date a web server puts in its Date header and how far it is from our clock.
]]

---
-- @usage nmap -p 80 --script http-date <target>
-- @output
-- 80/tcp open  http
-- |_http-date: Thu, 01 Jan 2026 00:00:00 GMT; 0s from local time.
--
-- @xmloutput
-- <elem key="date">2026-01-01T00:00:00+00:00</elem>
-- <elem key="delta">0.0</elem>

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"discovery", "safe"}

portrule = shortport.http

action = function(host, port)
  local resp = http.get(host, port, "/")
  local asked_at = os.time()
  if not resp.status or not resp.header["date"] then return nil end
  local date = http.parse_date(resp.header["date"])
  if not date then return nil end
  local when = datetime.date_to_timestamp(date)
  local out = stdnse.output_table()
  out.date = datetime.format_timestamp(when, 0)
  out.delta = os.difftime(when, asked_at)
  datetime.record_skew(host, when, asked_at)
  return out, ("%s; %s from local time."):format(resp.header["date"],
    datetime.format_difftime(os.date("!*t", when), os.date("!*t", asked_at)))
end
