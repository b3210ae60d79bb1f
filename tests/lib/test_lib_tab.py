"""tab: tables built the same way through nmap's tab.lua (lua5.4) and ours."""

from __future__ import annotations

from typing import Any

from libref import compare, needs_nselib

from nse.lib import tab
from nse.lua import ops

PRELUDE = """
M.t_build = function(rows, extra)
  local t = M.new()
  for _, r in ipairs(rows) do M.addrow(t, table.unpack(r)) end
  if extra then M.add(t, 3, "x"); M.add(t, 1, "first"); M.nextrow(t); M.nextrow(t); M.add(t, 2, "only2") M.nextrow(t) end
  return M.dump(t), tostring(t)
end
"""


def t_build(rows: Any = None, extra: Any = None, *_: Any) -> Any:
    t = tab.new()
    for _i, r in rows.items():
        tab.addrow(t, *r.to_list())
    if ops.truth(extra):
        tab.add(t, 3, "x")
        tab.add(t, 1, "first")
        tab.nextrow(t)
        tab.nextrow(t)
        tab.add(t, 2, "only2")
        tab.nextrow(t)
    return tab.dump(t), ops.tostring(t)


@needs_nselib
def test_vs_nmap() -> None:
    cases: list[tuple[str, list[object]]] = [
        (
            "t_build",
            [
                [
                    ["PORT", "STATE", "SERVICE"],
                    ["22/tcp", "open", "ssh"],
                    ["8080/tcp", "closed", "http-proxy"],
                ]
            ],
        ),
        ("t_build", [[["a"], ["bb", "c"], ["", "", "ddd"]], True]),
        ("t_build", [[[1, 2.5, True]]]),
        ("t_build", [[], True]),
        ("t_build", [[]]),
        ("add", [None, 1, "x"]),
    ]
    tab.t_build = t_build  # type: ignore[attr-defined]
    tab.__all__.append("t_build")
    try:
        compare("tab", tab, cases, PRELUDE)
    finally:
        tab.__all__.remove("t_build")
        del tab.t_build  # type: ignore[attr-defined]
