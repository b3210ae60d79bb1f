"""nse.engine: the script engine (nmap's nse_main.lua and nse_main.cc in Python).

Modules
-------
``api``        entry points: :class:`~nse.engine.api.ScriptEngine` (``pre_scan``/``scan``/
               ``post_scan``) and :func:`~nse.engine.api.run_scripts` for ``nse scan``
``args``       ``--script-args`` / ``--script-args-file`` (nmap's grammar rule by rule)
``selection``  ``--script`` expressions (nmap's PEG, its precedence quirk included)
``scriptdb``   ``script.db`` reading/writing in nmap's format
``catalog``    script sources: nmap data directory's scripts, bundled ``scripts_py/``
``datadir``    the data-directory search (re-exports :mod:`nse.lib.datadir`)
``script``     the script model and loader (``.nse`` via the transpiler, ``.py``)
``luaenv``     the NSE ``_G`` (strict), ``require`` (Python libs, then converted nselib)
``scheduler``  script threads on gevent greenlets: phases, runlevels, limits, timeouts
``context``    run-time state (options, registry, running threads)
``hosts``      host/port tables from the scanner's objects, and results written back
``output``     script results: nmap's text, the XML elem/table tree, a JSON shape
``scripthelp`` ``--script-help``, ``nse script list``, ``updatedb``
``bench``      ``python -m nse.engine.bench``: many concurrent script instances

Decisions
---------
* One gevent greenlet per script thread; sockets are gevent sockets, so a script blocked
  on the network lets the others run without any change to script code (nmap: nsock
  callbacks and coroutine yields).  Lua coroutines are child greenlets (nse.lua).
* A gevent socket that finds data waiting returns without switching, so every NSE socket
  read and write ends with ``gevent.sleep(0)`` (nmap: each nsock call goes through the
  engine loop): a script reading a flood cannot starve the others.
* ``--script-timeout`` counts from the thread's start, including time spent waiting for
  one of the ``max_parallelism`` socket slots (nse_main.lua ``Thread:start`` sets
  ``start_time``; a thread waiting on the socket lock is in ``waiting`` and is checked
  by ``Thread:timed_out`` like any other).
* ``stdnse.output_table`` gives each table its own metatable, as nmap does: nmap's
  ntp-info sets ``getmetatable(output).__tostring``.
* Timeouts kill a thread by throwing a ``BaseException`` into the greenlet it waits in,
  so Lua's ``pcall`` (which catches ``Exception`` only) cannot swallow it.
* Lua scripts re-run their chunk in a fresh environment for every thread, as nmap does
  (script globals are per thread); Python scripts are imported once.
* Outputs are sorted by script id.  nmap 7.93 has no stable order: five scripts that
  sleep 0-0.9 s, run three times against two ports, came out in a different order every
  run and in each section (neither completion nor id order), so a fixed order is the only
  one tests can compare.
* ``+`` (forced) overrides a rule's answer only where the script has that rule
  (nse_main.lua ``Script:new_thread`` returns nil for a missing rule).
* Every script output has a ``state`` (``ok``/``error``/``timed-out``); errors and
  time-outs give an output with the text nmap prints ("" when it prints nothing).
* A script thread waiting on something nothing can signal any more (gevent's
  ``LoopExit`` in the main greenlet) is stopped with state ``error`` and a log line;
  nmap would wait forever there.
* ``coroutine.running()`` inside a worker is the value ``stdnse.new_thread`` returned and
  ``stdnse.base()`` (nse_main.lua ``current.co``).  nse.lua.coroutine has no public call
  to tie a Lua thread value to a gevent greenlet; :func:`scheduler.greenlet_coroutine`
  is the one place that uses its internals until it has (requested of nse/lua's owner:
  ``nse.lua.coroutine.bind_greenlet(g, co=None) -> Coroutine`` to get or set the
  "main" coroutine of greenlet ``g``, and ``coroutine.status`` of such a coroutine
  computed as "running" when ``g`` is current, "dead" once ``g`` ended, "normal" when it
  resumed a nested coroutine, else "suspended").
* Behaviour is checked against nmap 7.93 itself (tests/engine): selection, arguments,
  output formatting, script.db, Lua error messages and ten real scripts against local
  services.
"""
