from __future__ import annotations

from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, SubmitField
from wtforms.validators import InputRequired

from netwerk.i18n import _l
from netwerk.web.forms import Form


class ImportForm(Form):
    files = MultipleFileField(_l("Bestanden (CSV of JSON, genoemd naar de soort)"),
                              validators=[InputRequired(_l("Kies minstens één bestand."))])
    dry_run = BooleanField(_l("Alleen controleren (proefimport, er verandert niets)"),
                           default=True)
    submit = SubmitField(_l("Importeren"))
