-- o:m() evaluates o once
local calls = 0
local obj = {name = "obj"}
function obj:hello(greet) return greet .. " " .. self.name end
local function get() calls = calls + 1; return obj end
print(get():hello("hi"), calls)
print(get():hello("hey"), calls)
local tbl = {inner = obj}
local idx = 0
local function key() idx = idx + 1; return "inner" end
print(tbl[key()]:hello("yo"), idx)
local counter = {n = 0}
function counter:inc() self.n = self.n + 1; return self end
counter:inc():inc():inc()
print(counter.n)
local s = 0
local strs = {"abc"}
local function gets() s = s + 1; return strs[1] end
print(gets():upper(), gets():len(), s)
local Account = {}
Account.__index = Account
function Account.new(b) return setmetatable({balance = b}, Account) end
function Account:deposit(v) self.balance = self.balance + v; return self.balance end
local acct = Account.new(100)
print(acct:deposit(50), acct.deposit(acct, 25), Account.deposit(acct, 1))
