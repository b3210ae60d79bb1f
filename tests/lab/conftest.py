"""The real-daemon lab (tools/lab/daemons.py), one per test session."""

from __future__ import annotations

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from tools.lab.daemons import available_services, daemon_lab_fixture  # noqa: E402

# every installed daemon, started once for the whole session
daemon_lab = daemon_lab_fixture(available_services())
