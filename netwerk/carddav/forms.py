from __future__ import annotations

from wtforms import StringField, SubmitField
from wtforms.validators import Length

from netwerk.i18n import _l
from netwerk.web.forms import Form


class AppPasswordForm(Form):
    name = StringField(_l("Naam van het apparaat (bijvoorbeeld: iPhone werk)"),
                       validators=[Length(max=100, message=_l("Naam: hoogstens 100 tekens."))])
    create = SubmitField(_l("Nieuw app-wachtwoord maken"))
    revoke = SubmitField(_l("Intrekken"))
