local nmap = require "nmap"
local shortport = require "shortport"
local string = require "string"

description = [[
Tells whether an SSH server still speaks the obsolete, broken SSH protocol version 1.
]]

---
-- @usage nmap -p 22 --script sshv1 <target>
-- @output
-- 22/tcp open  ssh
-- |_sshv1: Server supports SSHv1

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"default", "safe"}

portrule = shortport.ssh

action = function(host, port)
  local sock = nmap.new_socket()
  sock:connect(host, port)
  local ok, banner = sock:receive_lines(1)
  if not ok or not banner:match("^SSH%-.+\n$") then
    sock:close()
    return nil
  end
  sock:send("SSH-1.5-NmapNSE_1.0\n")
  local data
  ok, data = sock:receive_bytes(13)
  sock:close()
  -- an SSH-1 SMSG_PUBLIC_KEY packet: length, zero padding, then message type 2
  if ok and data:match("^....[\0]+\2") then
    return true, "Server supports SSHv1"
  end
  return nil
end
