"""Forms of the capacity pages. Counts are text fields parsed by services.parse_count, so that
every wrong number gets a Dutch message naming the field (never a half-saved change)."""

from __future__ import annotations

from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import Length, Optional

from netwerk.i18n import _l
from netwerk.web.forms import Form

NUMERIC = {"inputmode": "numeric", "autocomplete": "off"}


class ClaimForm(Form):
    # Only counts in hours ask for an amount; a bed or a place is claimed one at a time.
    amount = StringField(_l("Aantal uur per week"), id="claim-amount", default="1",
                         render_kw=NUMERIC)
    case_reference = StringField(
        _l("Voor casus (optioneel)"), id="claim-case", validators=[Optional(), Length(max=32)],
        render_kw={"placeholder": "NWG-2026-0001", "autocomplete": "off"},
    )
    note = StringField(_l("Toelichting (optioneel, geen cliëntgegevens)"), id="claim-note",
                       validators=[Optional(), Length(max=500)])


class ReleaseForm(Form):
    amount = StringField(_l("Aantal uur per week"), id="release-amount", default="1",
                         render_kw=NUMERIC)
    case_reference = StringField(
        _l("Voor casus (optioneel)"), id="release-case", validators=[Optional(), Length(max=32)],
        render_kw={"autocomplete": "off"},
    )
    note = StringField(_l("Toelichting (optioneel)"), id="release-note",
                       validators=[Optional(), Length(max=500)])


class CountsForm(Form):
    available = StringField(_l("Vrij"), render_kw=NUMERIC)
    maximum = StringField(_l("Totaal"), render_kw=NUMERIC)
    version = HiddenField()
    note = StringField(_l("Toelichting (optioneel)"), id="counts-note",
                       validators=[Optional(), Length(max=500)])


class NewCapacityForm(Form):
    """A new count for one of the user's services. Choices are checked by the service layer
    (``validate_choice=False``) so that an unknown value gets a Dutch message naming the field."""

    service_id = SelectField(_l("Aanbod"), validate_choice=False)
    area_id = SelectField(_l("Gebied"), validate_choice=False)
    type_slug = SelectField(_l("Soort plek"), validate_choice=False)
    available = StringField(_l("Vrij"), id="new-available", render_kw=NUMERIC)
    maximum = StringField(_l("Totaal"), id="new-maximum", render_kw=NUMERIC)


class DeclineForm(Form):
    """Declining a hold needs a reason (checked by holds.decline: a Dutch message on the
    field)."""

    reason = StringField(_l("Reden (verplicht bij afwijzen, geen cliëntgegevens)"),
                         validators=[Optional(), Length(max=500)])


class SubscribeForm(Form):
    soort = SelectField(_l("Soort plek"), validate_choice=False)
    gemeente = SelectField(_l("Gemeente"), validate_choice=False)
