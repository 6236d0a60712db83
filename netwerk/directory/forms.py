"""Forms of the directory: a professional's own details, and the one-click confirmation."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, HiddenField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from netwerk.i18n import _l
from netwerk.models.enums import REPORT_REASON_LABELS
from netwerk.models.report import NOTE_MAX
from netwerk.web.forms import CsrfForm, Form, MultiCheckboxField


class ProfessionalForm(Form):
    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=200)])
    role = StringField(_l("Functie"), validators=[Optional(), Length(max=120)])
    mobile = StringField(_l("Mobiel nummer"), validators=[Optional(), Length(max=40)])
    landline = StringField(_l("Vast nummer"), validators=[Optional(), Length(max=40)])
    email = EmailField(_l("E-mailadres"), validators=[Optional(), Email(), Length(max=254)])
    languages = StringField(_l("Talen (bijvoorbeeld: nl, en, tr)"),
                            validators=[Optional(), Length(max=100)])
    areas = MultiCheckboxField(_l("Wijken"), coerce=int, validate_choice=False)
    domains = MultiCheckboxField(_l("Hulpdomeinen"), coerce=int, validate_choice=False)
    # JPEG, PNG or WebP, judged by content in netwerk/directory/photos.py (not by the name).
    photo = FileField(_l("Foto"))
    remove_photo = BooleanField(_l("Foto verwijderen"))
    # The record's version when the form was opened: a save over a newer one is refused.
    version = HiddenField()


ConfirmForm = CsrfForm


class ReportForm(Form):
    """"Klopt niet": what is wrong, and a short remark (the operation checks both)."""

    reason = RadioField(_l("Wat klopt er niet?"),
                        choices=[SelectChoice(k.value, v) for k, v in REPORT_REASON_LABELS.items()],
                        validate_choice=False)
    note = StringField(_l("Toelichting (kort, niet verplicht)"),
                       validators=[Optional(), Length(max=NOTE_MAX)])
    next = HiddenField()
