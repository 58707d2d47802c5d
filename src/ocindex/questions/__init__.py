"""The questions the tool answers, one module per question beside its view.

Each is a pure function from the data (`ocindex.lookup.Lookup`) to a view
(`ocindex.views.<question>`); nothing here prints or imports typer or Rich. A question's
module imports its view's classes only when it runs: creating them is part of start-up.
The layers import one way: lookup <- questions <- index (the Python API) <- cli.
"""
