local ftp = require "ftp"
local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"
local string = require "string"

description = [[
Checks whether an FTP server accepts a PORT command naming another host, which lets
anyone use it to reach third parties ("FTP bounce", CERT CA-1997-27).
]]

---
-- @usage nmap -p 21 --script ftp-bounce <target>
-- @args ftp-bounce.username login name (default anonymous)
-- @args ftp-bounce.password password (default IEUser@)
-- @args ftp-bounce.checkhost the third host to name in PORT (default scanme.nmap.org)
-- @output
-- 21/tcp open  ftp
-- |_ftp-bounce: bounce working!

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"default", "safe"}

portrule = shortport.port_or_service({21, 990}, {"ftp", "ftps"})

-- "PORT a,b,c,d,%s\r\n" for the check host (resolved once per scan).
local function port_format()
  local name = stdnse.get_script_args(SCRIPT_NAME .. ".checkhost") or "scanme.nmap.org"
  local cache = nmap.registry[SCRIPT_NAME] or {}
  local addr = cache[name]
  if not addr then
    local ok, addrs = nmap.resolve(name, "inet")
    if ok and #addrs > 0 then
      addr = addrs[1]
    else
      stdnse.verbose1("Couldn't resolve %s, scanning 10.0.0.1 instead.", name)
      addr = "10.0.0.1"
    end
    cache[name] = addr
  end
  nmap.registry[SCRIPT_NAME] = cache
  return ("PORT %s,%%s\r\n"):format((addr:gsub("%.", ",")))
end

-- Send PORT for port number `hi * 256 + lo`; the reply code (nil on error).
local function try_port(sock, buffer, fmt, spec)
  if not sock:send(fmt:format(spec)) then return nil end
  local code, msg = ftp.read_reply(buffer)
  if not code then stdnse.debug1("error after PORT: %s", msg) end
  return code, msg
end

action = function(host, port)
  local user = stdnse.get_script_args(SCRIPT_NAME .. ".username") or "anonymous"
  local pass = stdnse.get_script_args(SCRIPT_NAME .. ".password") or "IEUser@"
  local sock, code, message, buffer = ftp.connect(host, port, {request_timeout = 10000})
  if not sock then return nil end
  -- (nmap's script fails with a Lua error here when the greeting is not an FTP reply)
  if not code or code < 200 or code > 299 then
    sock:close()
    return nil
  end
  sock:set_timeout(5000)
  local ok
  ok, code, message = ftp.auth(sock, buffer, user, pass)
  if not ok then
    stdnse.debug1("login refused: %s %s", code or "socket", message)
    ftp.close(sock)
    return nil
  end
  local fmt = port_format()
  code, message = try_port(sock, buffer, fmt, "80,80") -- port 20560
  if not code then return nil end
  if code < 200 or code > 299 then
    stdnse.verbose1("PORT response: %d %s", code, message)
    ftp.close(sock)
    return nil
  end
  code, message = try_port(sock, buffer, fmt, "0,80") -- port 80
  if not code then return nil end
  ftp.close(sock)
  if code < 200 or code > 299 then
    stdnse.verbose1("PORT (low port) response: %d %s", code, message)
    return "server forbids bouncing to low ports <1025"
  end
  return "bounce working!"
end
