"""Matching: the single most suitable frontsoldaat, the back pocket and the missing partners.

The pure modules (``model``, ``eligibility``, ``scoring``, ``back_pocket``, ``missing``,
``engine``) take frozen dataclasses and return frozen dataclasses: no Flask, no database.
``loader`` turns database rows into those dataclasses; ``services`` changes cases; ``views``
is the blueprint for ``/casussen``. See docs/matching.md.
"""
