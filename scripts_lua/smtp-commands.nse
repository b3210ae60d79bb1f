local shortport = require "shortport"
local smtp = require "smtp"
local stdnse = require "stdnse"
local table = require "table"

description = [[
Lists what an SMTP server says it supports: the EHLO extensions, then the HELP text.
]]

---
-- @usage nmap -p 25,465,587 --script smtp-commands <target>
-- @args smtp-commands.domain the domain to send in EHLO (default: smtp.domain, then the
--       target's name)
-- @output
-- 25/tcp open  smtp
-- | smtp-commands: mail.example.com, PIPELINING, SIZE 10240000, 8BITMIME
-- |_ 2.0.0 Commands: HELO EHLO MAIL RCPT DATA QUIT

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"default", "discovery", "safe"}

portrule = shortport.port_or_service({25, 465, 587}, {"smtp", "smtps", "submission"})

-- One line from a multi-line reply: CRs gone, outer space trimmed, the reply code at the
-- start of each line dropped, lines joined with `sep`, runs of space squeezed.
local function flatten(reply, code, sep)
  local text = reply:gsub("\r", "")
  text = text:match("^%s*(.-)%s*$")
  text = text:gsub("%f[^\0\n]" .. code .. "[-%s]+", "")
  if sep then text = text:gsub("\n", sep) end
  return (text:gsub("%s+", " "))
end

action = function(host, port)
  local domain = stdnse.get_script_args(SCRIPT_NAME .. ".domain") or smtp.get_domain(host)
  local sock, greeting = smtp.connect(host, port,
    {timeout = 10000, recv_before = true, ssl = true})
  if not sock then
    return ("Couldn't establish connection on port %i"):format(port.number)
  end
  local ok, reply = smtp.ehlo(sock, domain)
  if not ok then return reply end
  local out = {flatten(reply, "250", ", ")}
  ok, reply = smtp.help(sock)
  if ok then
    out[#out + 1] = flatten(reply, "214")
    smtp.quit(sock)
  end
  return table.concat(out, "\n ")
end
