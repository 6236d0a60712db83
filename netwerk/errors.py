"""The one base of every refusal a user can act on, without Flask (operations raise it).

``UserError(message, field=None)``: ``message`` is one Dutch sentence for the person who typed
the input, ``field`` the form field (or query parameter) it is about, when there is one. Views
put it on that field (``netwerk.web.forms.put_error``) or answer 400 with it; the CLI prints it.
"""

from __future__ import annotations


class UserError(ValueError):
    """Input that was refused; nothing was written."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        self.field = field

    def __str__(self) -> str:
        return self.message
