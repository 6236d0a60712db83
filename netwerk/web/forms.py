"""The form kit: the one MultiCheckboxField, and putting a domain error on a form field."""

from __future__ import annotations

from collections.abc import Mapping

from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from netwerk.errors import UserError


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (one per choice), for a choice of several."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def add_error(form, field: str | None, message: str) -> bool:
    """Append ``message`` to ``form.<field>``'s errors; False when the form has no such field
    (the caller shows the message on top of the form instead)."""
    target = getattr(form, field, None) if field else None
    if target is None or not hasattr(target, "errors"):
        return False
    errors = target.errors if isinstance(target.errors, list) else list(target.errors)
    if message not in errors:
        errors.append(message)
    target.errors = errors
    return True


def put_error(form, exc: UserError, fields: Mapping[str, str] | None = None) -> bool:
    """Put ``exc`` on the field it names (``fields`` maps an operation's field name to the
    form's, where they differ); False when it names none of the form's fields."""
    field = exc.field
    if field and fields:
        field = fields.get(field, field)
    return add_error(form, field, exc.message)


def put_errors(form, errors: Mapping[str, str], fields: Mapping[str, str] | None = None) -> list[str]:
    """Put each ``field: message`` on the form; returns the messages no field took."""
    left = []
    for field, message in errors.items():
        name = (fields or {}).get(field, field)
        if not add_error(form, name, message):
            left.append(message)
    return left
