"""JSON documents for scripts: a stable, machine-readable document per command, shaped like
the domain (never like a view), one module per concept as in ``views/``, and the JSON
Schema of each (:mod:`crema_budget.documents.schemas`).

Amounts are strings with a dot and two decimals (``"1302537.59"``) so no
consumer turns them into floats by accident; rates and percentages are
strings too. Keys are identifiers and never change with the language; texts
meant for people (a check's place, a note) follow it. Every document carries
``"schema": "crema-budget/<command>/<n>"``; ``n`` changes only when a field is
removed or changes meaning.
"""
