"""Example data shipped with govservice: to try it out, and for the documentation's examples.

:mod:`govservice.examples.ticket_log` makes a county hall's ticket-machine log
(synthetic, seeded) to fit and validate a hall from.

Example:
    >>> from govservice.examples import CATALOGUE, HALL
    >>> from govservice.model import load_catalogue
    >>> load_catalogue(CATALOGUE).matter("MR-001").name
    '食品经营许可'
    >>> from govservice.sim import load_scenario, simulate
    >>> simulate(load_scenario(HALL, entrypoints=False), seed=1).summary.scenario
    '示范县政务服务大厅'

.. versionadded:: 0.1
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["CATALOGUE", "HALL"]

_HERE = Path(__file__).resolve().parent

CATALOGUE = _HERE / "catalogue.toml"
"""A small county's catalogue (TOML): units, windows and staff, and matters of every handling
kind with their statutory and promised limits and fees (food licences are ``MR-001``)."""

HALL = _HERE / "hall.toml"
"""A scenario (TOML) of a week of that county's hall after the Spring Festival break, with its
back office deciding food licences: ``govservice simulate`` runs it."""

# govservice.examples.ticket_log: a county hall's ticket-machine log, made by simulating it
# (seeded, synthetic), for fitting and validating a hall (govservice.sim.tickets)
