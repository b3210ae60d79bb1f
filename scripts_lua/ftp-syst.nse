local ftp = require "ftp"
local shortport = require "shortport"
local stdnse = require "stdnse"

description = [[
Sends SYST and STAT to an FTP server and shows what it answers (logging in anonymously
first when the server wants that).
]]

---
-- @usage nmap -sV --script ftp-syst <target>
-- @output
-- 21/tcp open  ftp
-- | ftp-syst:
-- |   SYST: UNIX Type: L8
-- |   STAT:
-- | FTP server status:
-- |      Connected to 127.0.0.1
-- |_End of status
--
-- @xmloutput
-- <elem key="SYST">UNIX Type: L8</elem>
-- <elem key="STAT">...</elem>

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"default", "discovery", "safe"}

portrule = shortport.port_or_service({21, 990}, {"ftp", "ftps"})

-- SYST, logging in once when the server refuses it before login. Returns the answer
-- text (nil when there is nothing to show).
local function syst(sock, buffer)
  local logged_in = false
  while true do
    if not sock:send("SYST\r\n") then return nil, false end
    local code, message = ftp.read_reply(buffer)
    if not code then
      stdnse.debug1("SYST failed: %s", message)
      return nil, true
    end
    if code == 215 then
      -- the usual UNIX answer says nothing
      local rest = message:gsub("^UNIX Type: L8 *", "")
      return rest ~= "" and rest or nil, true
    elseif code < 300 then
      return ("%d %s"):format(code, message), true
    end
    local wants_login = code == 503 or code == 521 or (code % 100) // 10 == 3
    if logged_in or not wants_login then
      stdnse.debug1("SYST failed: %d %s", code, message)
      return nil, true
    end
    if not ftp.auth(sock, buffer, "anonymous", "IEUser@") then
      return nil, true
    end
    logged_in = true
  end
end

action = function(host, port)
  local sock, code, message, buffer = ftp.connect(host, port)
  if not sock then
    stdnse.debug1("cannot connect: %s", code or message)
    return nil
  end
  if code and code ~= 220 then
    stdnse.debug1("banner code %d %q", code, message)
    return nil
  end
  local system, alive = syst(sock, buffer)
  if alive == false then return nil end
  local out = stdnse.output_table()
  out.SYST = system
  if not sock:send("STAT\r\n") then
    if system then return out end
    return nil
  end
  local scode, stat = ftp.read_reply(buffer)
  if scode == 211 then
    out.STAT = "\n" .. stat
  elseif scode and scode < 300 then
    out.STAT = ("%d\n%s"):format(scode, stat)
  end
  ftp.close(sock)
  if #out > 0 then return out end
end
