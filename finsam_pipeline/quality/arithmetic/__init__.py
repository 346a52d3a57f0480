"""Report arithmetic (warnings): the report's own sums and cross-references, one module per part.

Reports really do contain sums that do not add up; researchers need to see where, not lose
the report. Importing a module registers its checks; `MODULES` fixes the order they are listed in.
"""

from importlib import import_module

MODULES = ("statements", "notes", "contributions", "key_figures", "participants", "budgets")
for _module in MODULES:
    import_module(f"{__name__}.{_module}")
