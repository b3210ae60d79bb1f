-- empty statements, semicolons, parenthesised calls
;;; local a = 1; ; local b = 2;
print(a + b);
local t = {f = function() return "f" end};
(t.f)();
print((t.f)())
local s = ("x"):rep(2); print(s)
do ; end
local function noop() end noop() noop()
print("ok")
