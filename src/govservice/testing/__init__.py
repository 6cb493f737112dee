"""Helpers for testing govservice and plugins written for it.

:mod:`govservice.testing.store_conformance` is the conformance suite every
event store passes, built-in or from a plugin.

.. versionadded:: 0.1
"""
