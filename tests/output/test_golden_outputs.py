"""Golden files of the normal (-oN), grepable, XML and JSON outputs of fixed scan results.

Dates, unix times and durations are normalised before comparing.  After a deliberate
change of format, regenerate with ``NSE_UPDATE_GOLDEN=1 pytest tests/output`` and read
the diff before committing it.
"""

from __future__ import annotations

import io
import json
import os

import pytest
from output_scenarios import HERE, SCENARIOS, normalise, write_scenario

from nse.output.writers import OutputSpec

GOLDEN = os.path.join(HERE, "golden")
EXT = {"normal": "nmap", "xml": "xml", "grepable": "gnmap", "json": "json"}

pytestmark = pytest.mark.usefixtures("own_services")


def _outputs(tmp_path: str, name: str, incomplete: str | None = None,
             upto: int | None = None) -> dict[str, str]:
    base = os.path.join(tmp_path, name)
    spec = OutputSpec.from_options(all_base=base, json=base + ".json")
    write_scenario(SCENARIOS[name](), spec, incomplete=incomplete, upto=upto)
    out = {}
    for kind, ext in EXT.items():
        with open(f"{base}.{ext}", encoding="utf-8") as f:
            out[kind] = f.read()
    return out


def _check(name: str, kind: str, text: str) -> None:
    path = os.path.join(GOLDEN, f"{name}.{EXT[kind]}")
    if os.environ.get("NSE_UPDATE_GOLDEN"):
        os.makedirs(GOLDEN, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    with open(path, encoding="utf-8") as f:
        want = f.read()
    assert normalise(text) == normalise(want)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
@pytest.mark.parametrize("kind", sorted(EXT))
def test_golden(tmp_path: str, name: str, kind: str) -> None:
    _check(name, kind, _outputs(str(tmp_path), name)[kind])


@pytest.mark.parametrize("kind", sorted(EXT))
def test_golden_interrupted(tmp_path: str, kind: str) -> None:
    """Closed after the first host, as Ctrl-C does: footers written, marked incomplete."""
    outs = _outputs(str(tmp_path), "full", incomplete="interrupted by the user (SIGINT)",
                    upto=1)
    _check("full-interrupted", kind, outs[kind])


def test_normalise_hides_only_times() -> None:
    a = '<finished time="1795928472" timestr="Sun Nov 29 05:01:12 2026" elapsed="0.05"'
    b = '<finished time="1795928999" timestr="Mon Jan  5 08:09:10 2026" elapsed="12.50"'
    assert normalise(a) == normalise(b)
    assert normalise(a) != normalise(a.replace("finished", "started"))
    assert normalise('"start": 1795928472') == normalise('"start": 1700000000')


def test_stdout_output(tmp_path: str) -> None:
    """``-oX -`` writes the same document to stdout and says stdout is taken."""
    buf = io.StringIO()
    spec = OutputSpec.from_options(xml="-", json=os.path.join(tmp_path, "a.json"))
    write_scenario(SCENARIOS["ping"](), spec, stdout=buf)
    assert buf.getvalue() == _outputs(str(tmp_path), "ping")["xml"]
    with open(os.path.join(tmp_path, "a.json"), encoding="utf-8") as f:
        assert json.load(f)["hosts"][0]["addresses"] == [{"addr": "127.0.0.1",
                                                          "addrtype": "ipv4"}]
