local ftp = require "ftp"
local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"
local table = require "table"

description = [[
Checks whether an FTP server accepts anonymous login, and if it does, lists the top
directory and marks the entries anyone may write to.
]]

---
-- @usage nmap -sV --script ftp-anon <target>
-- @args ftp-anon.maxlist the most listing lines to show (default 20 at normal
--       verbosity, all with -v); a negative number shows all, 0 skips the listing.
-- @output
-- 21/tcp open  ftp
-- | ftp-anon: Anonymous FTP login allowed (FTP code 230)
-- |_drwxrwxrwx    2 0        0            4096 Jan 01  2024 incoming [NSE: writeable]

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"auth", "default", "safe"}

portrule = shortport.port_or_service({21, 990}, {"ftp", "ftps"})

-- LIST over a passive data connection, at most `limit` lines (nil: no limit).
local function listing(sock, buffer, limit)
  local data, err = ftp.pasv(sock, buffer)
  if not data then return false, err end
  local ok, e = sock:send("LIST\r\n")
  if not ok then return false, e end
  local lines = {}
  while limit == nil or #lines < limit do
    local status, line = data:receive_buf("\r?\n", false)
    if not status and line == "EOF" or line == "" then break end
    if not status then return false, line end
    lines[#lines + 1] = line
  end
  data:close()
  return true, lines
end

local function max_lines()
  local arg = stdnse.get_script_args(SCRIPT_NAME .. ".maxlist")
  if not arg then
    return nmap.verbosity() == 0 and 20 or nil
  end
  local n = tonumber(arg)
  if n and n < 0 then return nil end
  return n
end

action = function(host, port)
  local limit = max_lines()
  local sock, code, message, buffer = ftp.connect(host, port, {request_timeout = 8000})
  if not sock then
    stdnse.debug1("cannot connect: %s", code or message)
    return nil
  end
  if code and code ~= 220 then
    stdnse.debug1("banner code %d %q", code, message)
    return nil
  end
  local ok
  ok, code, message = ftp.auth(sock, buffer, "anonymous", "IEUser@")
  if not ok then
    if code and code ~= 421 and code ~= 530 then
      return ("got code %d %q."):format(code, message)
    end
    return nil
  end

  local out = {("Anonymous FTP login allowed (FTP code %d)"):format(code)}
  if limit == nil or limit > 0 then
    local status, lines = listing(sock, buffer, limit)
    ftp.close(sock)
    if not status then
      out[#out + 1] = "Can't get directory listing: " .. tostring(lines)
    else
      for _, line in ipairs(lines) do
        -- a directory or file whose "other" permission bits allow writing
        if line:match("^[d-].......w.") then
          line = line .. " [NSE: writeable]"
        end
        out[#out + 1] = line
      end
      if limit and #lines == limit then
        out[#out + 1] = ("Only %d shown. Use --script-args %s.maxlist=-1 to see all."):format(
          #lines, SCRIPT_NAME)
      end
    end
  else
    ftp.close(sock)
  end
  return table.concat(out, "\n")
end
