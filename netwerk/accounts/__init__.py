"""Accounts without a shell: invitations, joining by organisation e-mail, single sign-on,
two-step sign-in, and the beheer edits (docs/accounts.md)."""
