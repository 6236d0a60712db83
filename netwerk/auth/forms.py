from __future__ import annotations

from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length

from netwerk.i18n import _l
from netwerk.web.forms import CsrfForm, Form


class LoginForm(Form):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(), Length(max=200)])


MIN_PASSWORD_LENGTH = 10


class PasswordForm(Form):
    """Change one's own password: the current one, and the new one twice."""

    current = PasswordField(_l("Huidig wachtwoord"), validators=[DataRequired(), Length(max=200)])
    new = PasswordField(
        _l("Nieuw wachtwoord"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
    )
    again = PasswordField(_l("Nieuw wachtwoord nogmaals"),
                          validators=[DataRequired(), Length(max=200)])


SignOutEverywhereForm = CsrfForm
