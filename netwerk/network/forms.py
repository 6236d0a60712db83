"""Forms of the network capability: work sessions and the sector checklist."""

from __future__ import annotations

from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from netwerk.i18n import _, _l
from netwerk.models import TieKind
from netwerk.web.forms import CsrfForm, Form, MultiCheckboxField


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class NamedDateField(DateField):
    """A date field whose error names the field in Dutch."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_("%(field)s: '%(value)s' is geen datum (dd-mm-jjjj).",
                               field=self.label.text, value=" ".join(valuelist))) from None


class NamedSelectField(SelectField):
    """A select whose 'not one of the choices' error names the field in Dutch."""

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(_("%(field)s: kies een waarde uit de lijst.",
                                    field=self.label.text)) from None


class WorkSessionForm(Form):
    title = StringField(_l("Titel"), validators=[
        DataRequired(_l("Titel: vul een titel in.")), Length(max=200)])
    date = NamedDateField(_l("Datum"), validators=[
        InputRequired(_l("Datum: vul een datum in (dd-mm-jjjj)."))])
    area_id = NamedSelectField(_l("Gebied"), coerce=int, validators=[
        InputRequired(_l("Gebied: kies een gebied."))])
    notes = TextAreaField(_l("Aantekeningen"), validators=[Optional(), Length(max=5000)])


class AttendanceForm(Form):
    professional_id = NamedSelectField(_l("Deelnemer"), coerce=int, validators=[
        InputRequired(_l("Deelnemer: kies wie er was."))])
    invited_by_id = NamedSelectField(_l("Uitgenodigd door"), coerce=int, validators=[Optional()])


class InvitationForm(Form):
    inviter_id = NamedSelectField(_l("Wie nodigt uit"), coerce=int, validators=[
        InputRequired(_l("Wie nodigt uit: kies een deelnemer."))])
    organisation_id = NamedSelectField(_l("Organisatie die ontbrak"), coerce=int, validators=[
        InputRequired(_l("Organisatie: kies een organisatie."))])
    professional_id = NamedSelectField(_l("Contactpersoon (als bekend)"), coerce=int,
                                  validators=[Optional()])
    note = TextAreaField(_l("Waarom deze partij?"), validators=[Optional(), Length(max=2000)])


class TieForm(Form):
    a_id = NamedSelectField(_l("Eerste persoon"), coerce=int, validators=[
        InputRequired(_l("Eerste persoon: kies een deelnemer."))])
    b_id = NamedSelectField(_l("Tweede persoon"), coerce=int, validators=[
        InputRequired(_l("Tweede persoon: kies een deelnemer."))])
    kind = NamedSelectField(_l("Soort lijntje"), choices=choices([
        (TieKind.KENT.value, _l("kent elkaar")),
        (TieKind.WERKT_SAMEN.value, _l("werkt samen")),
    ]), default=TieKind.KENT.value)


RemoveForm = CsrfForm


class ChecklistForm(Form):
    # No Optional(): it would stop the choice check, letting an empty or unknown value through.
    # An empty list (no box ticked) is valid on its own.
    sectors = MultiCheckboxField(_l("Sectoren die aan tafel horen"))


CheckInForm = CsrfForm


class TableTieForm(Form):
    """ "We kennen elkaar nu" with one other attendee."""
    other_id = NamedSelectField(_l("Met wie"), coerce=int, validators=[
        DataRequired(_l("Met wie: kies iemand aan tafel."))])


class TableInviteForm(Form):
    """Invite a party missing at the table: an organisation chosen by typeahead (its id), or
    its name typed in full when the page runs without scripts."""
    organisation_id = StringField(_l("Organisatie-id"), validators=[Optional(), Length(max=12)])
    organisation_name = StringField(_l("Welke organisatie ontbrak?"),
                                    validators=[Optional(), Length(max=200)])
    note = TextAreaField(_l("Waarom deze partij?"), validators=[Optional(), Length(max=2000)])
