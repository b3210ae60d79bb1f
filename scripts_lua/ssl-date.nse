local datetime = require "datetime"
local math = require "math"
local nmap = require "nmap"
local os = require "os"
local shortport = require "shortport"
local sslcert = require "sslcert"
local stdnse = require "stdnse"
local string = require "string"
local tls = require "tls"

description = [[
Reads the clock of a TLS server from the first four bytes of its ServerHello random
(gmt_unix_time, RFC 5246 7.4.1.3). Many servers fill them with random bytes instead;
when the time is far off, two more samples tell a clock from randomness.
]]

---
-- @usage nmap -p 443 --script ssl-date <target>
-- @output
-- 443/tcp open  https
-- |_ssl-date: 2024-01-02T03:04:05+00:00; -2s from scanner time.
--
-- @xmloutput
-- <elem key="date">2024-01-02T03:04:05+00:00</elem>
-- <elem key="delta">-2.0</elem>

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"discovery", "safe", "default"}

portrule = function(host, port)
  return shortport.ssl(host, port) or sslcert.getPrepareTLSWithoutReconnect(port)
end

local CONNECT_TIMEOUT = 5      -- seconds
local MAX_SKEW = 90 * 60       -- beyond this, check whether the "time" is a clock
local MAX_JITTER = 5           -- seconds a real clock may drift between two samples

-- One ClientHello; the server's first records.
local function hello(host, port)
  local sock, ok, err
  local starttls = sslcert.getPrepareTLSWithoutReconnect(port)
  if starttls then
    ok, sock = starttls(host, port)
    if not ok then return false end
  else
    sock = nmap.new_socket()
    sock:set_timeout(CONNECT_TIMEOUT * 1000)
    ok, err = sock:connect(host, port)
    if not ok then
      sock:close()
      stdnse.debug1("cannot connect: %s", err)
      return false
    end
  end
  local response
  ok, err = sock:send(tls.client_hello())
  if ok then
    ok, response, err = tls.record_buffer(sock)
  end
  sock:close()
  return ok, response
end

local function server_time(response)
  local _, record = tls.record_read(response, 1)
  if record and record.type == "handshake" then
    for _, body in ipairs(record.body) do
      if body.type == "server_hello" then return body.time end
    end
  end
  return nil
end

local function sample(host, port)
  local ok, response = hello(host, port)
  local now = os.time()
  if not (ok and response) then return nil end
  local t = server_time(response)
  if not t then return nil end
  return {target = t, scanner = now, delta = os.difftime(t, now)}
end

-- "rejected" when the server's time ran backwards or at another pace than ours,
-- "stagnant" when it did not move, "accepted" otherwise.
local function verdict(host, port, ref)
  local s = sample(host, port)
  if not s then return nil end
  local dt = os.difftime(s.target, ref.target)
  local ds = os.difftime(s.scanner, ref.scanner)
  if dt < 0 or math.abs(dt - ds) > MAX_JITTER then return "rejected", s end
  if dt == 0 then return "stagnant", s end
  return "accepted", s
end

action = function(host, port)
  local s = sample(host, port)
  if not s then
    return stdnse.format_output(false, "Unable to obtain data from the target")
  end
  if math.abs(s.delta) > MAX_SKEW then
    local ref = s
    local v
    v, s = verdict(host, port, ref)
    if v == "stagnant" then
      stdnse.sleep(1.1)
      v, s = verdict(host, port, ref)
    end
    if not v then return nil end
    if v ~= "accepted" then
      return {}, "TLS randomness does not represent time"
    end
  end
  datetime.record_skew(host, s.target, s.scanner)
  local out = {date = datetime.format_timestamp(s.target, 0), delta = s.delta}
  return out, ("%s; %s from scanner time."):format(out.date,
    datetime.format_difftime(os.date("!*t", s.target), os.date("!*t", s.scanner)))
end
