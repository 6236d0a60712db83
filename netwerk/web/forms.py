"""The form kit: the base ``Form`` of every form (no control characters in any text field),
the one MultiCheckboxField, and putting a domain error on a form field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from flask import abort
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from netwerk.errors import UserError
from netwerk.i18n import _
from netwerk.text import bad_character, describe


def no_control_characters(form, field) -> None:
    """Refuse control characters: a text area may hold tab and line breaks, a one-line field
    none of them (they would make the GraphML/GEXF exports invalid XML)."""
    multiline = isinstance(field, TextAreaField)
    values = field.data if isinstance(field.data, list) else [field.data]
    for value in values:
        char = bad_character(value if isinstance(value, str) else None, multiline=multiline)
        if char is not None:
            raise ValidationError(_("Ongeldig teken (%(code)s): typ de tekst opnieuw zonder "
                                    "onzichtbare tekens.", code=describe(char)))


class Form(FlaskForm):
    """The base of every form of the app: each StringField and TextAreaField (not a password)
    refuses control characters, without each form having to remember it."""

    def validate(self, extra_validators=None):
        extra = {name: list(validators) for name, validators in (extra_validators or {}).items()}
        for name, field in self._fields.items():
            if isinstance(field, StringField) and not isinstance(field, PasswordField):
                extra.setdefault(name, []).append(no_control_characters)
        return super().validate(extra_validators=extra)


class CsrfForm(Form):
    """A form with no fields: a POST button whose CSRF token is all that is checked ("klopt
    nog", "overal afmelden", "ik ben er", taking someone off a list, confirming a hold)."""


F = TypeVar("F", bound=FlaskForm)


def form_or_400(form_class: type[F] = CsrfForm) -> F:
    """``form_class()`` read from the request, or 400 when it does not validate (an expired
    CSRF token, a tampered field): for a POST button, which has no page to show errors on."""
    form = form_class()
    if not form.validate_on_submit():
        abort(400)
    return form


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
