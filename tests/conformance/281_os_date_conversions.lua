-- os.date accepts exactly the C99 conversions (with E and O modifiers)
local t = 1700000000
print(os.date("!%Z %z", 0), os.date("%Z %z", 0))
print(os.date("!%C|%g|%G|%h|%U|%V|%W|%u|%w|%y", t))
print(os.date("!%Ec|%EC|%Ex|%EX|%Ey|%EY", t))
print(os.date("!%Od|%Oe|%OH|%OI|%Om|%OM|%OS|%Ou|%OU|%OV|%Ow|%OW|%Oy", t))
for _, spec in ipairs({"%s", "%k", "%l", "%P", "%+", "%Ed", "%OY", "%E", "%5d", "%-d", "%#"}) do
  local ok, err = pcall(os.date, "!" .. spec, t)
  print(spec, ok, ok and err or err:match("%((.*)%)"))
end
print(os.date("!%%%a%%", t), #os.date("!" .. ("%Y"):rep(100), t))
