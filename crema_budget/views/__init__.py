"""Views: each command's results as what a person sees (:mod:`crema_budget.view`).

One module per part of the domain. A view builder takes computed results and
the locale (for the few figures written inside a sentence) and returns a
:class:`~crema_budget.view.View`; it never knows which format will show it.
"""
