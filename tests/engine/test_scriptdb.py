"""script.db reading and writing in nmap's format."""

from __future__ import annotations

import pytest

from nse.engine.scriptdb import DbEntry, ScriptDbError, format_script_db, parse_script_db

from .nmaprun import HAVE_NMAP, NMAP_DATA


def test_format_sorted_and_lowercased() -> None:
    text = format_script_db([DbEntry("b.nse", ("Safe", "auth")), DbEntry("a.nse", ())])
    assert text == ('Entry { filename = "a.nse", categories = { } }\n'
                    'Entry { filename = "b.nse", categories = { "safe", "auth", } }\n')


def test_parse_variants() -> None:
    text = ("-- comment\nEntry { filename = 'x.nse'; categories = { \"a\"; 'b' } }\n"
            "Entry({categories={}, filename=\"y\\\"z.nse\",})\n")
    assert parse_script_db(text) == [DbEntry("x.nse", ("a", "b")), DbEntry('y"z.nse', ())]
    with pytest.raises(ScriptDbError):
        parse_script_db("Entry { filename = 'x.nse' }")
    with pytest.raises(ScriptDbError):
        parse_script_db("Entry { filename = 'x.nse', categories = {} ")


@pytest.mark.nmap
@pytest.mark.skipif(not HAVE_NMAP, reason="nmap not installed")
def test_nmap_database_round_trips_byte_for_byte() -> None:
    raw = (NMAP_DATA / "scripts" / "script.db").read_bytes().decode("latin-1")
    entries = parse_script_db(raw)
    assert len(entries) > 500
    assert format_script_db(entries) == raw
