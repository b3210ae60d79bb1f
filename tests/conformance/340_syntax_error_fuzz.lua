-- random token sequences given to load(): the first error in source order is the one reported
local seed = 5
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
local toks = {"local", "x", "=", "1", "+", "(", ")", "end", "if", "then", "do", "function", "return", ",", "..", "{", "}", "[", "]", "'s'", "::l::", "goto", "l", "while", "for", "in", ";", ".", ":", "nil", "not", "#", "==", "<", "repeat", "until", "break", "else", "elseif", "2.5", "0x", "[[", "--", "\n"}

for i = 1, 300 do
  local t = {}
  for k = 1, rnd(6) + 1 do t[k] = toks[rnd(#toks) + 1] end
  local src = table.concat(t, " ")
  local f, err = load(src, "=fuzz")
  print(f and "ok" or err)
end
