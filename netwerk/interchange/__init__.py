"""Bringing a network in (CSV/JSON/HSDS import) and taking it out (Open Referral HSDS export)."""
