from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SubmitField

from netwerk.i18n import _l


class TokenForm(FlaskForm):
    create = SubmitField(_l("Nieuw token maken"))
    revoke = SubmitField(_l("Token intrekken"))
