"""Open Referral HSDS 3.x: export netwerk's organisations and services, import such a dataset."""

from __future__ import annotations


def is_hsds(payload: object) -> bool:
    return False


def hsds_tables(payload, name):
    return {}
