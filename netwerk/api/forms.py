from __future__ import annotations

from wtforms import SubmitField

from netwerk.i18n import _l
from netwerk.web.forms import Form


class TokenForm(Form):
    create = SubmitField(_l("Nieuw token maken"))
    revoke = SubmitField(_l("Token intrekken"))
