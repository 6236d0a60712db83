"""Forms of the case pages. Every free field refuses client identifiers (netwerk.privacy)."""

from __future__ import annotations

from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from netwerk.i18n import _, _l
from netwerk.models.enums import LEGAL_GROUND_LABELS, URGENCY_CHOICES
from netwerk.privacy import find_identifiers
from netwerk.web.forms import Form, MultiCheckboxField


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def no_identifiers(form, field) -> None:
    """Refuse BSN, phone numbers, e-mail, address and dates: say what was found."""
    found = find_identifiers(field.data)
    if found:
        raise ValidationError(
            _("Dit veld bevat %(what)s. Een casus bevat geen gegevens waarmee de cliënt te "
              "herkennen is: haal dit weg.", what=", ".join(i.describe() for i in found))
        )


class BasisForm(Form):
    """The basis for sharing the case with the people a form brings in (finding 20): an
    existing basis of the case (its id), or a new one: the client's consent (given on, for
    what) or a named legal ground. Part of every form that adds someone to a case."""

    basis = RadioField(_l("Grondslag om de casus te delen"), default="",
                       validators=[Optional()], validate_choice=False)
    # Parsed by operations.basis_input (a Dutch error for a malformed date, nothing lost).
    consent_given_on = StringField(_l("Toestemming gegeven op"),
                                   validators=[Length(max=20)])
    consent_scope = StringField(_l("Toestemming waarvoor"), validators=[
        Length(max=300, message=_l("Toestemming waarvoor: hoogstens 300 tekens.")),
        no_identifiers])
    legal_ground = SelectField(_l("Wettelijke grond"), default="", choices=choices(
        [("", _l("Kies de wettelijke grond")),
         *((g.value, label) for g, label in LEGAL_GROUND_LABELS.items())]))


class IntakeForm(BasisForm):
    area_id = SelectField(_l("Wijk"), coerce=int, validators=[InputRequired()])
    urgency = RadioField(_l("Urgentie"), validators=[DataRequired(message=_l("Kies de urgentie."))],
                         choices=choices((u.value, label) for u, label in URGENCY_CHOICES.items()))
    needs_primary = MultiCheckboxField(_l("Hulpvragen: primair"))
    needs_secondary = MultiCheckboxField(_l("Hulpvragen: secundair"))
    constraints = MultiCheckboxField(_l("Kenmerken"))
    client_age = IntegerField(_l("Leeftijd cliënt (jaren)"), validators=[
        Optional(), NumberRange(0, 130, message=_l("Leeftijd: een getal van 0 tot en met 130."))])
    # Every ISO 639-1 language (netwerk.matching.wording.language_choices), set by the view.
    language = SelectField(_l("Taal van de cliënt"), default="")
    involved = SelectMultipleField(_l("Al betrokken professionals"), coerce=int)
    opposing = SelectMultipleField(
        _l("Tegenpartij: organisaties met een tegengesteld belang (bijvoorbeeld de verhuurder "
           "die wil ontruimen, een schuldeiser)"), coerce=int)
    preferred = SelectField(_l("Voorkeur van de cliënt (optioneel)"), coerce=int, default=0)
    situation = TextAreaField(_l("Situatie in het kort"), validators=[
        Length(max=2000, message=_l("Situatie: hoogstens 2000 tekens.")), no_identifiers])

    def validate_needs_secondary(self, field) -> None:
        both = set(field.data or ()) & set(self.needs_primary.data or ())
        if both:
            raise ValidationError(_("Een hulpvraag is primair of secundair, niet allebei."))
        if not (field.data or self.needs_primary.data):
            raise ValidationError(_("Kies minstens één hulpvraag."))


class DecisionForm(BasisForm):
    lead_id = RadioField(_l("Frontsoldaat"), coerce=int,
                         validators=[InputRequired(message=_l("Kies de frontsoldaat."))])
    reason = TextAreaField(_l("Reden (nodig als je een ander kiest dan de suggestie)"),
                           validators=[Length(max=1000), no_identifiers])


class ActionForm(Form):
    professional_id = SelectField(_l("Wie"), coerce=int, default=0)
    what = StringField(_l("Wat"), validators=[
        DataRequired(message=_l("Wat: beschrijf de actie.")), Length(max=500), no_identifiers])
    due = DateField(_l("Wanneer (uiterlijk)"), validators=[Optional()])


class AdmitForm(BasisForm):
    """Admitting one person of an opposing party: only the basis."""
