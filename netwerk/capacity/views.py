"""Capacity pages: "Waar is plek?" (/plek), one count with its history, claim/release/update."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime, to_user_timezone
from flask_login import current_user
from sqlalchemy import select

from netwerk.auth import policy
from netwerk.capacity import holds, operations
from netwerk.capacity.forms import (
    ClaimForm,
    CountsForm,
    DeclineForm,
    NewCapacityForm,
    ReleaseForm,
    SubscribeForm,
)
from netwerk.capacity.queries import (
    UnknownCapacityType,
    area_chain,
    area_choices,
    capacity_detail,
    capacity_types,
    case_by_reference,
    default_area,
    free_capacity,
    regios,
    services_for,
)
from netwerk.db import db, utcnow
from netwerk.i18n import _
from netwerk.models import (
    Area,
    AreaKind,
    Capacity,
    CapacityHold,
    CapacitySubscription,
    Case,
    Service,
)
from netwerk.models.enums import unit_label
from netwerk.web import arg_id, get_or_404, parse_id, parse_int
from netwerk.web.forms import CsrfForm, put_error

bp = Blueprint("capacity", __name__)

def when(value) -> str:
    """A moment in Dutch local time: "vandaag 09:15", "gisteren 17:40" or "24-11-2026 09:15"."""
    if not value:
        return ""
    local, today = to_user_timezone(value).date(), to_user_timezone(utcnow()).date()
    if local == today:
        return _("vandaag %(time)s", time=format_datetime(value, "HH:mm"))
    if (today - local).days == 1:
        return _("gisteren %(time)s", time=format_datetime(value, "HH:mm"))
    return format_datetime(value, "dd-MM-yyyy HH:mm")


def bar_width(available: int, maximum: int) -> int:
    """Width (0–100) of the free part of a bar; a sliver stays visible when anything is free."""
    if maximum <= 0:
        return 0
    width = round(100 * available / maximum)
    return max(width, 2) if available > 0 else 0


@bp.app_context_processor
def capacity_helpers():
    return {"cap_unit": unit_label, "cap_when": when, "cap_bar": bar_width}


# --- overview ---------------------------------------------------------------------------------


def _chosen_area() -> Area | None:
    area_id = arg_id("wijk")  # malformed (², beyond any id): 400 in Dutch (netwerk/web/args.py)
    if area_id is not None:
        area = db.session.get(Area, area_id)
        if area is not None:
            return area
        flash(_("Onbekende wijk '%(value)s'; je ziet je eigen wijk.", value=area_id), "error")
    prof = current_user.professional if current_user.is_authenticated else None
    return default_area(db.session, prof)


@bp.get("/plek")
def overview():
    """Waar is plek? Per type, free of total, nearest first: the wijk, its gemeente, the regio."""
    area = _chosen_area()
    types = capacity_types(db.session)
    type_slug = request.args.get("soort", "").strip() or None
    if area is None:
        return render_template("capacity/overview.html", area=None, chain=[], groups=[],
                               types=types, type_slug=None, choices=[], regios=[])
    try:
        rows = free_capacity(db.session, area.id, type_slug, include_full=True)
    except UnknownCapacityType as exc:
        flash(_("%(error)s Je ziet alle soorten.", error=str(exc)), "error")
        type_slug = None
        rows = free_capacity(db.session, area.id, None, include_full=True)
    groups = []
    for ctype in types:
        if type_slug and ctype.slug != type_slug:
            continue
        items = [r for r in rows if r.type_slug == ctype.slug]
        fresh_free = sum(r.available for r in items if not r.stale)
        groups.append({"type": ctype, "rows": items, "free": sum(r.available for r in items),
                       "fresh_free": fresh_free})
    gemeente = next((a for a in area_chain(db.session, area.id)
                     if a.kind == AreaKind.GEMEENTE), None)
    subscribe_form = SubscribeForm(formdata=None, soort=type_slug or (types[0].slug if types
                                                                      else ""),
                                   gemeente=str(gemeente.id) if gemeente else "")
    _subscribe_choices(subscribe_form, types)
    return render_template(
        "capacity/overview.html", area=area, chain=area_chain(db.session, area.id),
        groups=groups, types=types, type_slug=type_slug, choices=area_choices(db.session),
        regios=regios(db.session), subscribe_form=subscribe_form,
        subscriptions=holds.my_subscriptions(db.session, current_user.id),
    )


def _subscribe_choices(form, types) -> None:
    form.soort.choices = [(t.slug, t.name) for t in types]
    form.gemeente.choices = [(str(g.id), g.name) for g, _w in area_choices(db.session)]


@bp.post("/plek/abonnement")
def subscribe():
    """"Laat me weten": a message when a place of this type frees up in this gemeente."""
    form = SubscribeForm()
    _subscribe_choices(form, capacity_types(db.session))
    back = request.form.get("terug", "")
    target = back if back.startswith("/plek") and not back.startswith("//") else "/plek"
    if not form.validate_on_submit():
        flash(_("Niet opgeslagen: kies een soort plek en een gemeente."), "error")
        return redirect(target, 303)
    try:
        holds.subscribe(db.session, current_user.id, form.soort.data,
                        parse_id(form.gemeente.data))
    except operations.CapacityError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(target, 303)
    db.session.commit()
    flash(_("Je hoort het als er een plek vrijkomt."), "success")
    return redirect(target, 303)


@bp.post("/plek/abonnement/<int:subscription_id>/opzeggen")
def unsubscribe(subscription_id: int):
    """Stop one "laat me weten"."""
    subscription = get_or_404(db.session, CapacitySubscription, subscription_id)
    if subscription.user_id != current_user.id:
        abort(404)
    db.session.delete(subscription)
    db.session.commit()
    flash(_("Je krijgt hier geen bericht meer over."), "success")
    return redirect(url_for(".overview"), 303)


# --- one capacity -----------------------------------------------------------------------------


def _load(capacity_id: int) -> Capacity:
    return get_or_404(db.session, Capacity, capacity_id)


def _find_case(reference: str | None) -> tuple[Case | None, str | None]:
    """The case behind a reference the user may see, or an error naming the field."""
    reference = (reference or "").strip().upper()
    if not reference:
        return None, None
    case = case_by_reference(db.session, current_user, reference)
    if case is None:
        return None, _(
            "Casus: '%(ref)s' niet gevonden, of je bent niet bij deze casus betrokken.",
            ref=reference,
        )
    return case, None


def _render_detail(capacity: Capacity, status: int = 200, *, claim_form=None, release_form=None,
                   counts_form=None, message: str | None = None, decline_forms=None):
    page = capacity_detail(db.session, current_user, capacity)
    open_ = holds.open_holds(db.session, capacity.id)
    can_answer = policy.can_answer_hold(current_user, capacity)
    shown_holds = [h for h in open_ if can_answer or h.user_id == current_user.id]
    hold_cases = {c.id: c for c in db.session.scalars(
        select(Case).where(Case.id.in_({h.case_id for h in shown_holds if h.case_id}),
                           policy.visible_case_filter(current_user)))} if shown_holds else {}
    visible_cases = {**page.visible_cases, **hold_cases}
    operations.record_history_view(db.session, current_user, capacity.id,
                                   sorted(set(page.visible_cases) | set(hold_cases)))
    db.session.commit()
    if counts_form is None:
        counts_form = CountsForm(formdata=None, available=str(capacity.available),
                                 maximum=str(capacity.maximum), version=str(capacity.version))
    html = render_template(
        "capacity/detail.html",
        capacity=capacity, ctype=capacity.capacity_type, org=capacity.service.organisation,
        service=capacity.service, area=capacity.area, updater=page.updater,
        updater_prof=page.updater_prof, stale=page.stale, phone=page.phone,
        events=page.events, users=page.users, visible_cases=visible_cases,
        holds=shown_holds, can_answer=can_answer,
        claimants=holds.claimant_names(db.session, shown_holds),
        decline_forms=decline_forms or {},
        blank_decline=DeclineForm(formdata=None),
        claim_form=claim_form or ClaimForm(formdata=None),
        release_form=release_form or ReleaseForm(formdata=None),
        counts_form=counts_form, message=message,
        can_claim=policy.can_claim_capacity(current_user, capacity),
        can_release=policy.can_release_capacity(current_user, capacity),
        can_update=policy.can_update_capacity(current_user, capacity),
    )
    return html, status


@bp.get("/plek/<int:capacity_id>")
def detail(capacity_id: int):
    """One count: free of total, whom to call, claim/release/update, and its history."""
    return _render_detail(_load(capacity_id))


def _note_error(form, exc: operations.CapacityError) -> None:
    put_error(form, exc)


def _amount(capacity: Capacity, form) -> int:
    """Hours are claimed and released in any amount; beds and places one at a time."""
    if capacity.capacity_type.unit.value != "uur_per_week":
        return 1
    return operations.parse_count(form.amount.data, _("Aantal"), "amount")


def _move(capacity_id: int, *, claiming: bool):
    """Claim or release ``amount`` (optionally for a case); a conflict ("net vergeven", "alle
    plekken zijn al vrij") answers 409, other refused input 400 on the field."""
    capacity = _load(capacity_id)
    check = policy.can_claim_capacity if claiming else policy.can_release_capacity
    policy.require(check, capacity)
    form = ClaimForm() if claiming else ReleaseForm()
    key = "claim_form" if claiming else "release_form"
    if not form.validate_on_submit():
        message = (_("Plek niet geclaimd: kijk de velden na.") if claiming
                   else _("Plek niet vrijgegeven: kijk de velden na."))
        return _render_detail(capacity, 400, **{key: form}, message=message)
    case, error = _find_case(form.case_reference.data)
    if error:
        form.case_reference.errors = [error]
        return _render_detail(capacity, 400, **{key: form}, message=error)
    conflict = operations.NotFree if claiming else operations.AllFree
    try:
        amount = _amount(capacity, form)
        if not claiming:
            policy.require(policy.can_release_capacity, capacity, amount)
        if claiming:
            operations.claim(db.session, capacity.id, current_user.id,
                             case.id if case else None, form.note.data or "", amount=amount,
                             hold_hours=current_app.config["HOLD_HOURS"])
        else:
            mine = next((h for h in reversed(holds.open_holds(db.session, capacity.id))
                         if h.user_id == current_user.id and h.amount == amount), None)
            if mine is not None:  # giving back a place one still holds: withdraw the hold
                holds.withdraw(db.session, mine.id, current_user.id)
            else:
                operations.release(db.session, capacity.id, current_user.id,
                                   case.id if case else None, form.note.data or "",
                                   amount=amount)
    except operations.CapacityError as exc:
        db.session.rollback()
        if not (claiming and isinstance(exc, conflict)):
            _note_error(form, exc)
        return _render_detail(capacity, 409 if isinstance(exc, conflict) else 400,
                              **{key: form}, message=exc.message)
    db.session.commit()
    if claiming:
        hold = db.session.scalar(select(CapacityHold).where(
            CapacityHold.capacity_id == capacity.id, CapacityHold.user_id == current_user.id)
            .order_by(CapacityHold.id.desc()).limit(1))
        flash(_("Plek vastgehouden tot %(when)s. De aanbieder bevestigt of wijst af; bel om de "
                "plek in te nemen.", when=when(hold.expires_at) if hold else ""), "success")
    else:
        flash(_("Plek vrijgegeven."), "success")
    return redirect(url_for(".detail", capacity_id=capacity.id), 303)


# --- holds: the provider answers, the claimant withdraws ------------------------------------


def _load_hold(capacity_id: int, hold_id: int) -> tuple[Capacity, CapacityHold]:
    capacity = _load(capacity_id)
    hold = get_or_404(db.session, CapacityHold, hold_id)
    if hold.capacity_id != capacity.id:
        abort(404)
    return capacity, hold


def _hold_step(capacity_id: int, hold_id: int, may, form, refused: str, do, done: str):
    """One step on a hold: 404 for a hold of another place, 403 unless ``may(capacity, hold)``,
    400 with ``refused`` for a stale or invalid form; then ``do(hold, form)`` and commit, or 409
    with the reason it could not be done (a reason missing on a decline is shown at its field)."""
    capacity, hold = _load_hold(capacity_id, hold_id)
    if not may(capacity, hold):
        abort(403)
    decline = {hold.id: form} if isinstance(form, DeclineForm) else None
    if not form.validate_on_submit():
        return _render_detail(capacity, 400, decline_forms=decline, message=refused)
    try:
        do(hold, form)
    except operations.CapacityError as exc:
        db.session.rollback()
        if decline and exc.field == "reason":
            put_error(form, exc)
            return _render_detail(capacity, 400, decline_forms=decline, message=exc.message)
        return _render_detail(capacity, 409, message=exc.message)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for(".detail", capacity_id=capacity.id), 303)


def _provider(capacity: Capacity, hold: CapacityHold) -> bool:
    return policy.can_answer_hold(current_user, capacity)


def _claimant(capacity: Capacity, hold: CapacityHold) -> bool:
    return policy.can_withdraw_hold(current_user, hold)


@bp.post("/plek/<int:capacity_id>/reserveringen/<int:hold_id>/bevestigen")
def confirm_hold(capacity_id: int, hold_id: int):
    """The provider confirms: the place is taken."""
    return _hold_step(capacity_id, hold_id, _provider, CsrfForm(),
                      _("Niet bevestigd: ververs de pagina."),
                      lambda hold, form: holds.confirm(db.session, hold.id, current_user.id),
                      _("Reservering bevestigd: de plek is ingenomen."))


@bp.post("/plek/<int:capacity_id>/reserveringen/<int:hold_id>/afwijzen")
def decline_hold(capacity_id: int, hold_id: int):
    """The provider declines with a reason: the place is free again."""
    return _hold_step(capacity_id, hold_id, _provider, DeclineForm(),
                      _("Niet afgewezen: kijk de reden na."),
                      lambda hold, form: holds.decline(db.session, hold.id, current_user.id,
                                                       form.reason.data or ""),
                      _("Reservering afgewezen: de plek is weer vrij."))


@bp.post("/plek/<int:capacity_id>/reserveringen/<int:hold_id>/intrekken")
def withdraw_hold(capacity_id: int, hold_id: int):
    """The claimant no longer needs the place: free again."""
    return _hold_step(capacity_id, hold_id, _claimant, CsrfForm(),
                      _("Niet ingetrokken: ververs de pagina."),
                      lambda hold, form: holds.withdraw(db.session, hold.id, current_user.id),
                      _("Reservering ingetrokken: de plek is weer vrij."))


@bp.post("/plek/<int:capacity_id>/claimen")
def claim(capacity_id: int):
    """Take one place (optionally for a case); "net vergeven" when someone was first."""
    return _move(capacity_id, claiming=True)


@bp.post("/plek/<int:capacity_id>/vrijgeven")
def release(capacity_id: int):
    """Give one place back (the organisation's staff, or whoever holds a claim on it)."""
    return _move(capacity_id, claiming=False)


@bp.post("/plek/<int:capacity_id>/telling")
def update_counts(capacity_id: int):
    """Set free and total as counted now (the organisation's staff and a beheerder)."""
    capacity = _load(capacity_id)
    policy.require(policy.can_update_capacity, capacity)
    form = CountsForm()
    if not form.validate_on_submit():
        return _render_detail(capacity, 400, counts_form=form,
                              message=_("Telling niet opgeslagen: kijk de velden na."))
    try:
        available = operations.parse_count(form.available.data, _("Vrij"), "available")
        maximum = operations.parse_count(form.maximum.data, _("Totaal"), "maximum")
        version_text = (form.version.data or "").strip()
        if parse_int(version_text, minimum=0) is None:
            raise operations.StaleCount(
                _("Het formulier was onvolledig; er is niets opgeslagen. Ververs de pagina.")
            )
        operations.set_counts(db.session, capacity.id, current_user.id, available, maximum,
                            int(version_text), form.note.data or "")
    except operations.StaleCount as exc:
        db.session.rollback()
        db.session.refresh(capacity)
        fresh = CountsForm(formdata=None, available=str(capacity.available),
                           maximum=str(capacity.maximum), version=str(capacity.version),
                           note=form.note.data)
        return _render_detail(capacity, 409, counts_form=fresh, message=exc.message)
    except operations.CapacityError as exc:
        db.session.rollback()
        _note_error(form, exc)
        return _render_detail(capacity, 400, counts_form=form,
                              message=_("Telling niet opgeslagen: %(error)s", error=exc.message))
    db.session.commit()
    flash(_("Telling opgeslagen."), "success")
    return redirect(url_for(".detail", capacity_id=capacity.id), 303)



# --- a new count ------------------------------------------------------------------------------


def _new_form(services_: list[Service], formdata=True) -> NewCapacityForm:
    form = NewCapacityForm() if formdata else NewCapacityForm(formdata=None)
    form.service_id.choices = [("", _("— kies —"))] + [
        (str(s.id), f"{s.organisation.name}: {s.name}") for s in services_]
    areas = {}
    for gemeente, wijken in area_choices(db.session):
        areas[gemeente.name] = [(str(gemeente.id), _("Heel %(n)s", n=gemeente.name))] + [
            (str(w.id), w.name) for w in wijken]
    areas[_("Regio")] = [(str(r.id), _("Hele regio %(n)s", n=r.name))
                         for r in regios(db.session)]
    form.area_id.choices = areas
    form.type_slug.choices = [(t.slug, f"{t.name} ({unit_label(t.unit.value, 2)})")
                              for t in capacity_types(db.session)]
    return form




@bp.route("/plek/nieuw", methods=["GET", "POST"])
def new():
    """Add a count for one of the organisation's services (staff and beheerder)."""
    services_ = services_for(db.session, current_user)
    if not services_:
        abort(403)
    form = _new_form(services_, formdata=request.method == "POST")
    if request.method == "GET" or not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("capacity/new.html", form=form), status
    service = db.session.get(Service, parse_id(form.service_id.data) or 0)
    if service is not None:
        policy.require(policy.can_add_capacity, service.organisation_id)
    try:
        available = operations.parse_count(form.available.data, _("Vrij"), "available")
        maximum = operations.parse_count(form.maximum.data, _("Totaal"), "maximum")
        capacity = operations.create_capacity(
            db.session, parse_id(form.service_id.data), parse_id(form.area_id.data),
            form.type_slug.data, available, maximum, current_user.id)
    except operations.CapacityError as exc:
        db.session.rollback()
        _note_error(form, exc)
        return render_template("capacity/new.html", form=form, message=exc.message), 400
    db.session.commit()
    flash(_("Telling toegevoegd."), "success")
    return redirect(url_for(".detail", capacity_id=capacity.id), 303)
