"""Who may see what: every route of the app, as every kind of user, with its expected answer.

The table ``MATRIX`` is keyed by endpoint name and built against ``app.url_map``: a route
without an entry FAILS the test (add a row when you add a route). Each row gives the URL
(placeholders are filled from the seeded world in tests/web/access.py), the answer to GET and
the answer to POST *with* a valid CSRF token (an empty form: the access decision is what is
tested, not the form). Every POST route is also sent without a token: 400 for everyone,
nothing written. GET routes must not change any row (the audit log excepted).

Principals: anoniem, medewerker, coordinator (of the case under test), facilitator, beheerder,
betrokkene (involved in the case), collega (same organisation as an involved professional,
not involved: must get 403, seed 000), buitenstaander (a coordinator of another organisation),
organisatiebeheerder (a medewerker who manages Lister, the organisation of the medewerker).

Expected answers: an int status code, or "status:/path" for a redirect to that path (query
string ignored), "login" for a redirect to the sign-in page.

``MATRIX_DISCOVER=1 python -m pytest tests/web/test_access_matrix.py -s`` prints every answer
observed (handy when adding a row; never copy answers without checking they are right).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from tests.web.access import PRINCIPALS, build_world, changed_tables, csrf_token, snapshot

LOGIN = "login"
SIGNED_IN = [p for p in PRINCIPALS if p != "anoniem"]


def everyone(expect, anon=LOGIN, **overrides) -> dict:
    """``expect`` for every signed-in principal, ``anon`` for anonymous, then the exceptions."""
    table = dict.fromkeys(SIGNED_IN, expect) | {"anoniem": anon}
    table.update(overrides)
    return table


def only(allowed: dict, denied=403, anon=LOGIN) -> dict:
    """``denied`` for every signed-in principal not named in ``allowed``."""
    return everyone(denied, anon=anon) | allowed


@dataclass
class Row:
    url: str
    get: dict | None = None
    post: dict | None = None  # POST with a valid CSRF token and an empty form
    order: int = 0  # POSTs that end the case or the session run last
    fresh_session: bool = False  # sign in again first (the previous row ended the session)
    notes: str = field(default="")


CASE_PEOPLE = {"coordinator": 200, "betrokkene": 200, "beheerder": 200}

FACILITATORS = {"facilitator": 200, "beheerder": 200}
# The JSON API authenticates by bearer token only: a browser session is not enough (401 JSON).
API = everyone(401, anon=401)

# THE TABLE.
MATRIX: dict[str, Row] = {
    # --- public ---------------------------------------------------------------------------
    "static": Row("/static/css/netwerk.css", get=everyone(200, anon=200)),
    "main.healthz": Row("/healthz", get=everyone(200, anon=200)),
    "main.accessibility": Row("/toegankelijkheid", get=everyone(200, anon=200)),
    "auth.login": Row("/login", get=everyone("302:/", anon=200),
                      post=everyone("302:/", anon=200)),
    # --- account --------------------------------------------------------------------------
    "auth.logout": Row("/logout", post=everyone("302:/login", anon=LOGIN), order=8),
    "auth.change_password": Row("/account/wachtwoord", get=everyone(200), post=everyone(400)),
    "auth.sign_out_everywhere": Row("/account/overal-afmelden",
                                    post=everyone("303:/login"), order=9,
                                    fresh_session=True),
    "main.home": Row("/", get=everyone(200)),
    # --- the installable app: manifest, service worker and offline page hold no data (the
    # browser fetches the manifest without cookies); the offline directory answers 401 itself
    # so the service worker can wipe its copy when the session has ended.
    "main.manifest": Row("/manifest.webmanifest", get=everyone(200, anon=200)),
    "main.service_worker": Row("/sw.js", get=everyone(200, anon=200)),
    "main.offline_page": Row("/offline", get=everyone(200, anon=200)),
    "main.offline_directory": Row("/offline/gids.json", get=everyone(200, anon=401)),
    # --- directory: every signed-in professional ------------------------------------------
    "directory.search_page": Row("/zoeken?q=lister", get=everyone(200)),
    "directory.person": Row("/personen/{paul}", get=everyone(200)),
    "directory.photo": Row("/personen/{paul}/foto", get=everyone(404)),  # no photo in seed
    "directory.person_vcard": Row("/personen/{paul}.vcf", get=everyone(200)),
    "directory.selection_vcard": Row("/personen.vcf?id={paul}&id={me}", get=everyone(200)),
    "directory.person_qr": Row("/personen/{paul}/qr.svg", get=everyone(200)),
    "directory.organisation": Row("/organisaties/{org}", get=everyone(200)),
    "directory.area": Row("/wijken/{wijk}", get=everyone(200)),
    "directory.area_faces": Row("/wijken/{wijk}/smoelenboek", get=everyone(200)),
    "directory.area_vcard": Row("/wijken/{wijk}.vcf", get=everyone(200)),
    "directory.session_faces": Row("/smoelenboek/werksessie/{session}", get=everyone(200)),
    "directory.verify_list": Row("/verifieren", get=everyone(200)),
    # A favourite is one's own: every signed-in user marks anyone.
    "directory.favourite": Row("/personen/{paul}/favoriet", post=everyone("303:/personen/{paul}")),
    # Anouk herself (medewerker), the organisatiebeheerder of Lister and a beheerder edit
    # her record; nobody of another organisation does.
    "directory.edit_person": Row("/personen/{me}/bewerken",
                                 get=only({"medewerker": 200, "organisatiebeheerder": 200,
                                           "beheerder": 200}),
                                 post=only({"medewerker": 400, "organisatiebeheerder": 400,
                                            "beheerder": 400})),
    # Anouk herself, the organisatiebeheerder of her organisation (Lister) and a beheerder.
    "directory.confirm_person": Row("/personen/{me}/klopt",
                                    post=only({"medewerker": "302:/personen/{me}",
                                               "organisatiebeheerder": "302:/personen/{me}",
                                               "beheerder": "302:/personen/{me}"})),
    # "Klopt niet": everyone signed in reports anyone (an empty form: no reason, 400).
    "directory.report_person": Row("/personen/{paul}/klopt-niet", post=everyone(400)),
    "directory.report_organisation": Row("/organisaties/{org}/klopt-niet", post=everyone(400)),
    # The queue lists what the viewer may close (empty for most); the report on Anouk is
    # closed by her and a beheerder only.
    "directory.report_queue": Row("/verifieren/meldingen", get=everyone(200)),
    "directory.resolve_report": Row("/verifieren/meldingen/{report}/klopt-toch",
                                    post=only({"medewerker": "303:/verifieren/meldingen",
                                               "organisatiebeheerder": "303:/verifieren/meldingen",
                                               "beheerder": "303:/verifieren/meldingen"})),
    # --- capacity: a count of Lister (Anouk's organisation) -------------------------------
    "capacity.overview": Row("/plek", get=everyone(200)),
    "capacity.detail": Row("/plek/{capacity}", get=everyone(200)),
    # Any signed-in professional claims (the beheerder too); an empty form claims one place.
    "capacity.claim": Row("/plek/{capacity}/claimen",
                          post=everyone("303:/plek/{capacity}")),
    # Release: the organisation's staff and a beheerder, others only what they claimed
    # themselves (every principal claimed one place just before, see order).
    "capacity.release": Row("/plek/{capacity}/vrijgeven",
                            post=everyone("303:/plek/{capacity}"), order=1),
    "capacity.update_counts": Row("/plek/{capacity}/telling",
                                  post=only({"medewerker": 400, "beheerder": 400,
                                             "organisatiebeheerder": 400})),
    # Adding a count for one's own organisation: any professional (the form shows only their
    # own services; a beheerder sees all).
    "capacity.new": Row("/plek/nieuw", get=everyone(200), post=everyone(400)),
    # Holds (issue 16): the provider's staff (Anouk) and a beheerder answer; the claimant (the
    # colleague) withdraws; a disguised or foreign hold is refused. Declining needs a reason.
    # The provider's staff (Lister: Anouk, and Femke, its organisatiebeheerder) and a beheerder.
    "capacity.confirm_hold": Row("/plek/{capacity}/reserveringen/{hold}/bevestigen",
                                 post=only({"medewerker": "303:/plek/{capacity}",
                                            "organisatiebeheerder": "303:/plek/{capacity}",
                                            "beheerder": "303:/plek/{capacity}"})),
    "capacity.decline_hold": Row("/plek/{capacity}/reserveringen/{hold}/afwijzen",
                                 post=only({"medewerker": 400, "organisatiebeheerder": 400,
                                            "beheerder": 400})),
    "capacity.withdraw_hold": Row("/plek/{capacity}/reserveringen/{hold}/intrekken",
                                  post=only({"collega": "303:/plek/{capacity}"})),
    # "Laat me weten": anyone signed in; an empty form is refused with a message on /plek.
    "capacity.subscribe": Row("/plek/abonnement", post=everyone("303:/plek")),
    "capacity.unsubscribe": Row("/plek/abonnement/{subscription}/opzeggen",
                                post=only({"medewerker": "303:/plek"}, denied=404)),
    # --- notifications: one's own inbox; another's message is 404 -------------------------
    "notify.inbox": Row("/meldingen", get=everyone(200)),
    "notify.open_one": Row("/meldingen/{notification}/open",
                           post=only({"medewerker": "303:/plek/{capacity}"}, denied=404)),
    "notify.mark_all_read": Row("/meldingen/gelezen", post=everyone("303:/meldingen")),
    "notify.settings": Row("/meldingen/instellingen", get=everyone(200), post=everyone(400)),
    # --- cases: the coordinator, the involved professionals and a beheerder only ----------
    "cases.index": Row("/casussen", get=everyone(200)),
    "cases.new": Row("/casussen/nieuw",
                     get=only({"coordinator": 200, "buitenstaander": 200, "beheerder": 200}),
                     post=only({"coordinator": 400, "buitenstaander": 400, "beheerder": 400})),
    # Outside the case: 404, the same answer as for a case that does not exist (finding 3);
    # the involved professional sees it but may not manage it (403).
    "cases.detail": Row("/casussen/{case}", get=only(CASE_PEOPLE, denied=404)),
    "cases.decide": Row("/casussen/{case}/besluit",
                        post=only({"coordinator": 400, "beheerder": 400, "betrokkene": 403},
                                  denied=404)),
    "cases.add_action": Row("/casussen/{case}/acties",
                            post=only({"coordinator": 400, "beheerder": 400,
                                       "betrokkene": 403}, denied=404)),
    # Admitting an involved person of an opposing party to the case: its coordinator only
    # (an empty form names no basis for sharing: 400, finding 20).
    "cases.admit": Row("/casussen/{case}/toegang/{paul}",
                       post=only({"coordinator": 400, "beheerder": 400,
                                  "betrokkene": 403}, denied=404)),
    # Recording afterwards the basis an involved person rests on: its coordinator only (an
    # empty form names no basis: 400).
    "cases.record_involvement_basis": Row(
        "/casussen/{case}/betrokkenen/{paul}/grondslag",
        post=only({"coordinator": 400, "beheerder": 400, "betrokkene": 403}, denied=404)),
    # Withdrawing the consent everyone of the case rests on (finding 20): its coordinator
    # only; the betrokkene loses access with it, so it runs late.
    "cases.withdraw_basis": Row("/casussen/{case}/grondslagen/{basis}/intrekken",
                                post=only({"coordinator": "302:/casussen/{case}",
                                           "beheerder": "302:/casussen/{case}",
                                           "betrokkene": 403}, denied=404),
                                order=4),
    # Ticking a plan action: everyone who sees the case.
    "cases.toggle_action": Row("/casussen/{case}/acties/{action}/klaar",
                               post=only(dict.fromkeys(CASE_PEOPLE, "302:/casussen/{case}"),
                                         denied=404)),
    "cases.close": Row("/casussen/{case}/sluiten",
                       post=only({"coordinator": "302:/casussen", "beheerder": "302:/casussen",
                                  "betrokkene": 403}, denied=404),
                       order=5),
    # --- network map and work sessions: everyone views, facilitators change ---------------
    "network.map_page": Row("/netwerk", get=everyone(200)),
    "network.vis_asset": Row("/netwerk/vis/vis-network.min.js", get=everyone(200)),
    "network.export_graphml": Row("/netwerk/export.graphml", get=everyone(200)),
    "network.export_gexf": Row("/netwerk/export.gexf", get=everyone(200)),
    "network.missing_csv": Row("/netwerk/ontbrekend.csv", get=everyone(200)),
    "network.checklist": Row("/netwerk/checklist/{gemeente}", get=only(FACILITATORS),
                             post=only({"facilitator": "302:/netwerk",
                                        "beheerder": "302:/netwerk"})),
    # The facilitator's table: everyone signed in looks; checking in, ties and invitations
    # from the phone are for an account linked to a professional (the beheerder has none).
    "network.table_data": Row("/netwerk/data.json", get=everyone(200)),
    "network.table_page": Row("/netwerk/tafel", get=everyone(200)),
    "network.table_report": Row("/netwerk/tafel/verslag", get=everyone(200)),
    "network.check_in_qr": Row("/werksessies/{session}/qr.svg", get=everyone(200)),
    "network.check_in": Row("/werksessies/{session}/inchecken", get=everyone(200),
                            post=everyone("302:/werksessies/{session}/inchecken",
                                          beheerder=403)),
    # An empty form: nobody named (400, nothing saved).
    "network.check_in_tie": Row("/werksessies/{session}/inchecken/lijntje",
                                post=everyone(400, beheerder=403)),
    "network.check_in_invite": Row("/werksessies/{session}/inchecken/uitnodiging",
                                   post=everyone(400, beheerder=403)),
    "network.sessions_index": Row("/werksessies", get=everyone(200)),
    "network.sessions_growth": Row("/werksessies/groei", get=everyone(200)),
    "network.session_detail": Row("/werksessies/{session}", get=everyone(200)),
    # An empty form is shown again with its messages (200), nothing saved.
    "network.session_new": Row("/werksessies/nieuw", get=only(FACILITATORS),
                               post=only(FACILITATORS)),
    "network.session_edit": Row("/werksessies/{session}/bewerken", get=only(FACILITATORS),
                                post=only(FACILITATORS)),
    "network.session_attend": Row("/werksessies/{session}/aanwezig",
                                  post=only({"facilitator": 400, "beheerder": 400})),
    "network.session_unattend": Row(
        "/werksessies/{session}/aanwezig/{attendee}/verwijderen",
        post=only({"facilitator": "302:/werksessies/{session}",
                   "beheerder": "302:/werksessies/{session}"}), order=2),
    "network.session_tie": Row("/werksessies/{session}/lijntje",
                               post=only({"facilitator": 400, "beheerder": 400})),
    "network.session_invite": Row("/werksessies/{session}/uitnodiging",
                                  post=only({"facilitator": 400, "beheerder": 400})),
    # --- import and export: a beheerder only ----------------------------------------------
    "interchange.upload": Row("/import", get=only({"beheerder": 200}),
                              post=only({"beheerder": 200})),  # form again: no file
    # An import's page and what its progress bar polls: every beheerder (the one who started
    # it and the others), nobody else (refused before the run is looked up).
    "interchange.import_run": Row("/import/{import_run}", get=only({"beheerder": 200})),
    "interchange.run_status_json": Row("/import/{import_run}/status.json",
                                       get=only({"beheerder": 200})),
    # A template is a header and one made-up example row: any signed-in user may read it.
    "interchange.template": Row("/import/sjablonen/professionals.csv", get=everyone(200)),
    "interchange.hsds": Row("/export/hsds.json", get=only({"beheerder": 200})),
    # --- API: the token page for everyone signed in; the API itself by token only ---------
    "api_tokens.token_page": Row("/api-token", get=everyone(200), post=everyone(200)),
    "api.openapi": Row("/api/v1/openapi.json", get=everyone(200, anon=200)),
    "api.people": Row("/api/v1/people", get=API),
    "api.person": Row("/api/v1/people/{paul}", get=API),
    "api.organisations": Row("/api/v1/organisations", get=API),
    "api.organisation": Row("/api/v1/organisations/{org}", get=API),
    "api.areas": Row("/api/v1/areas", get=API),
    "api.area": Row("/api/v1/areas/{wijk}", get=API),
    "api.capacities": Row("/api/v1/capacities", get=API),
    # --- accounts (issue 17): one's own account page and two-step enrolment ----------------
    "accounts.account": Row("/account/", get=everyone(200)),
    # An empty form: no code, so the enrolment is refused (400), nothing turned on.
    "accounts.twostep": Row("/account/tweestaps", get=everyone(200), post=everyone(400)),
    # Public links: an unknown token is 404 for everyone.
    "accounts.accept_invitation": Row("/uitnodiging/onbekend", get=everyone(404, anon=404),
                                      post=everyone(404, anon=404)),
    "accounts.join": Row("/aanmelden", get=everyone(200, anon=200),
                         post=everyone(400, anon=400)),
    "accounts.join_fill": Row("/aanmelden/onbekend", get=everyone(404, anon=404),
                              post=everyone(404, anon=404)),
    # Single sign-on is off without NETWERK_OIDC_* (tests/web/test_accounts_sso.py has it on).
    "accounts.sso_start": Row("/login/sso", get=everyone(404, anon=404)),
    "accounts.sso_callback": Row("/login/sso/terug", get=everyone(404, anon=404)),
    # --- address books (CardDAV): HTTP Basic with an app password only; a browser session
    # opens nothing (tests/web/test_carddav.py has the app-password side) --------------------
    "carddav.dav": Row("/carddav/{matrix_email}/mijn-wijken/", get=everyone(401, anon=401)),
    "carddav.well_known": Row("/.well-known/carddav",
                              get=everyone("301:/carddav/", anon="301:/carddav/")),
    # One's own app passwords; an empty form makes none (400).
    "devices.devices": Row("/account/apparaten", get=everyone(200), post=everyone(400)),
    # --- beheer: a beheerder everything; the organisatiebeheerder (of Lister) what is Lister's:
    # {org} is Lister, {service} a Lister service, {account} Anouk's (Lister) account; {paul}
    # (huisartsenpost) and the reference data (capacity types, areas) are not theirs: 403.
    # Ids 999999 are 404 for both (the object rule needs an object). Another organisation's
    # objects: EXTRA_GETS and EXTRA_POSTS below.
    "beheer.index": Row("/beheer/", get=only({"beheerder": 200, "organisatiebeheerder": 200})),
    "beheer.accounts_list": Row("/beheer/accounts?q=matrix", get=only({"beheerder": 200, "organisatiebeheerder": 200})),
    "beheer.invite": Row("/beheer/accounts/uitnodigen", get=only({"beheerder": 200, "organisatiebeheerder": 200}),
                         post=only({"beheerder": 400, "organisatiebeheerder": 400})),
    "beheer.resend": Row("/beheer/uitnodigingen/999999/opnieuw", post=only({"beheerder": 404, "organisatiebeheerder": 404})),
    "beheer.account": Row("/beheer/accounts/{account}", get=only({"beheerder": 200, "organisatiebeheerder": 200}),
                          post=only({"beheerder": 400, "organisatiebeheerder": 400})),
    "beheer.join_requests": Row("/beheer/aanmeldingen", get=only({"beheerder": 200, "organisatiebeheerder": 200})),
    "beheer.approve_join": Row("/beheer/aanmeldingen/999999/goedkeuren",
                               post=only({"beheerder": 404, "organisatiebeheerder": 404})),
    "beheer.reject_join": Row("/beheer/aanmeldingen/999999/afwijzen",
                              post=only({"beheerder": 404, "organisatiebeheerder": 404})),
    "beheer.organisaties_list": Row("/beheer/organisaties?q=lister&page=1",
                                    get=only({"beheerder": 200, "organisatiebeheerder": 200})),
    "beheer.organisaties_new": Row("/beheer/organisaties/nieuw", get=only({"beheerder": 200}),
                                   post=only({"beheerder": 400})),
    # An empty form changes nothing: the record is saved as it is.
    "beheer.organisaties_detail": Row("/beheer/organisaties/{org}", get=only({"beheerder": 200, "organisatiebeheerder": 200}),
                                      post=only({"beheerder": "303:/beheer/organisaties/{org}",
                                                 "organisatiebeheerder":
                                                     "303:/beheer/organisaties/{org}"})),
    "beheer.add_domain": Row("/beheer/organisaties/{org}/domeinen", post=only({"beheerder": 400, "organisatiebeheerder": 400})),
    "beheer.remove_domain": Row("/beheer/organisaties/{org}/domeinen/999999/verwijderen",
                                post=only({"beheerder": 404, "organisatiebeheerder": 404})),
    "beheer.personen_list": Row("/beheer/personen?q=paul", get=only({"beheerder": 200, "organisatiebeheerder": 200})),
    # An empty form names no organisation: the organisatiebeheerder may only put people and
    # services in their own, so a person or service without one is refused (403).
    "beheer.personen_new": Row("/beheer/personen/nieuw",
                               get=only({"beheerder": 200, "organisatiebeheerder": 200}),
                               post=only({"beheerder": 400})),
    "beheer.personen_detail": Row("/beheer/personen/{paul}", get=only({"beheerder": 200}),
                                  post=only({"beheerder": "303:/beheer/personen/{paul}"})),
    "beheer.person_active": Row("/beheer/personen/{paul}/actief", post=only({"beheerder": 400})),
    "beheer.diensten_list": Row("/beheer/diensten", get=only({"beheerder": 200, "organisatiebeheerder": 200})),
    # An empty form names no organisation: the organisatiebeheerder may only put people and
    # services in their own, so a person or service without one is refused (403).
    "beheer.diensten_new": Row("/beheer/diensten/nieuw",
                               get=only({"beheerder": 200, "organisatiebeheerder": 200}),
                               post=only({"beheerder": 400})),
    "beheer.diensten_detail": Row("/beheer/diensten/{service}",
                                  get=only({"beheerder": 200, "organisatiebeheerder": 200}),
                                  post=only({"beheerder": "303:/beheer/diensten/{service}"})),
    "beheer.add_rule": Row("/beheer/diensten/{service}/regels", post=only({"beheerder": 400, "organisatiebeheerder": 400})),
    "beheer.remove_rule": Row("/beheer/diensten/{service}/regels/999999/verwijderen",
                              post=only({"beheerder": 404, "organisatiebeheerder": 404})),
    "beheer.capaciteitssoorten_list": Row("/beheer/capaciteitssoorten",
                                          get=only({"beheerder": 200})),
    "beheer.capaciteitssoorten_new": Row("/beheer/capaciteitssoorten/nieuw",
                                         get=only({"beheerder": 200}),
                                         post=only({"beheerder": 400})),
    "beheer.capaciteitssoorten_detail": Row(
        "/beheer/capaciteitssoorten/{ctype}", get=only({"beheerder": 200}),
        post=only({"beheerder": "303:/beheer/capaciteitssoorten/{ctype}"})),
    "beheer.gebieden_list": Row("/beheer/gebieden?page=1", get=only({"beheerder": 200})),
    "beheer.gebieden_new": Row("/beheer/gebieden/nieuw", get=only({"beheerder": 200}),
                               post=only({"beheerder": 400})),
    "beheer.gebieden_detail": Row("/beheer/gebieden/{wijk}", get=only({"beheerder": 200}),
                                  post=only({"beheerder": "303:/beheer/gebieden/{wijk}"})),
    "beheer.undo_change": Row("/beheer/wijzigingen/999999/ongedaan",
                              post=only({"beheerder": 404, "organisatiebeheerder": 404})),
    # --- beheer: the audit log (finding 17), a beheerder only ------------------------------
    "beheer.audit_log": Row("/beheer/audit", get=only({"beheerder": 200})),
    "beheer.audit_export": Row("/beheer/audit.csv", get=only({"beheerder": 200})),
}

# Other objects than the row's own, checked too: the other case is coordinated by someone else.
EXTRA_GETS = {
    # Searching for the case's own words or reference finds people, never the case.
    "search for the case's words": ("/zoeken?q=autisme+achteruit", everyone(200)),
    "search for the case's words, JSON": ("/zoeken?q=autisme&format=json", everyone(200)),
    "search for the case's reference": ("/zoeken?q=NWG-2026-0001&format=json", everyone(200)),
    # The organisatiebeheerder of Lister: their colleague's beheer page, and nothing of
    # another organisation (Jolanda's): its record, services, people and accounts.
    "beheer of a colleague (Lister)": ("/beheer/personen/{femke}",
                                       only({"beheerder": 200, "organisatiebeheerder": 200})),
    "beheer of another organisation": ("/beheer/organisaties/{other_org}",
                                       only({"beheerder": 200})),
    "beheer of another organisation's service": ("/beheer/diensten/{other_service}",
                                                 only({"beheerder": 200})),
    "beheer of another organisation's person": ("/beheer/personen/{jolanda}",
                                                only({"beheerder": 200})),
    "beheer of another organisation's account": ("/beheer/accounts/{other_account}",
                                                 only({"beheerder": 200})),
    "other case (coordinated by Loubna Haddou)": (
        "/casussen/{other_case}",
        only({"beheerder": 200}, denied=404),
    ),
}

# POSTs (valid token, empty form) at another organisation's objects: the organisatiebeheerder
# of Lister is refused before anything is read from the form.
EXTRA_POSTS = {
    "another organisation's record": (
        "/beheer/organisaties/{other_org}",
        only({"beheerder": "303:/beheer/organisaties/{other_org}"})),
    "another organisation's e-mail domains": ("/beheer/organisaties/{other_org}/domeinen",
                                              only({"beheerder": 400})),
    "another organisation's person": ("/beheer/personen/{jolanda}",
                                      only({"beheerder": "303:/beheer/personen/{jolanda}"})),
    "another organisation's person, deactivated": ("/beheer/personen/{jolanda}/actief",
                                                   only({"beheerder": 400})),
    "another organisation's service": (
        "/beheer/diensten/{other_service}",
        only({"beheerder": "303:/beheer/diensten/{other_service}"})),
    "another organisation's service rules": ("/beheer/diensten/{other_service}/regels",
                                             only({"beheerder": 400})),
    "another organisation's account": ("/beheer/accounts/{other_account}",
                                       only({"beheerder": 400})),
}


def test_every_route_has_an_entry(app):
    missing = sorted({r.endpoint for r in app.url_map.iter_rules()} - set(MATRIX))
    assert not missing, (
        f"routes without an entry in the access matrix: {missing}. Add a Row for each to "
        "MATRIX in tests/web/test_access_matrix.py saying who may GET/POST it and what "
        "everyone else gets."
    )
    for rule in app.url_map.iter_rules():
        row = MATRIX[rule.endpoint]
        if "GET" in rule.methods:
            assert row.get is not None, f"{rule.endpoint}: add the expected GET answers"
        if "POST" in rule.methods:
            assert row.post is not None, f"{rule.endpoint}: add the expected POST answers"
    stale = sorted(set(MATRIX) - {r.endpoint for r in app.url_map.iter_rules()})
    assert not stale, f"entries for routes that no longer exist: {stale}"


def _answer(response) -> object:
    if response.status_code in (301, 302, 303, 307, 308):
        path = urlsplit(response.headers["Location"]).path
        if path == "/login" and "next=" in response.headers["Location"]:
            return LOGIN
        return f"{response.status_code}:{path}"
    return response.status_code


def _client_for(app, session, world, principal):
    client = app.test_client()
    if principal != "anoniem":
        from tests.conftest import PASSWORD

        r = client.post("/login", data={"email": world.users[principal].email,
                                        "password": PASSWORD, "csrf_token": csrf_token(client)})
        assert r.status_code == 302, f"{principal} could not sign in"
    return client


def _expected(table: dict, principal: str, ids: dict) -> object:
    value = table[principal]
    return value.format(**ids) if isinstance(value, str) else value


DISCOVER = os.environ.get("MATRIX_DISCOVER") == "1"


@pytest.mark.parametrize("principal", list(PRINCIPALS))
def test_access_matrix(app, session, make, seeded, principal):
    app.config["WTF_CSRF_ENABLED"] = True
    world = build_world(session, make)
    ids = world.ids
    client = _client_for(app, session, world, principal)
    rules = {r.endpoint: r for r in app.url_map.iter_rules()}
    failures: list[str] = []
    # Nothing of a case reaches anyone outside it: not its situation text, not a link to it.
    secrets = {"NWG-2026-0001": (f"/casussen/{ids['case']}\"", "Vermoeden van autisme"),
               "NWG-2026-0002": (f"/casussen/{ids['other_case']}\"", "Er is een hond in huis")}
    may_see = {"NWG-2026-0001": set(CASE_PEOPLE), "NWG-2026-0002": {"beheerder"}}

    def check(what, response, expected):
        got = _answer(response)
        body = response.get_data(as_text=True) if response.status_code == 200 and \
            response.mimetype.startswith(("text/", "application/json")) else ""
        # The reference too, except where the page echoes what was typed or shows an example.
        shown = re.sub(r'(placeholder|value)="[^"]*"|"query": ?"[^"]*"', "", body)
        for ref, (case_url, snippet) in secrets.items():
            if principal not in may_see[ref] and (
                    snippet in body or case_url in body or ref in shown):
                failures.append(f"{what}: shows case {ref} to {principal}")
        response.close()
        if DISCOVER:
            print(f"DISCOVER {principal:15} {what:60} {got!r}")
        if got != expected:
            failures.append(f"{what}: expected {expected!r}, got {got!r}")

    # 1. GET every route: the expected answer, and nothing but the audit log changes.
    before = snapshot(session)
    for endpoint, row in sorted(MATRIX.items()):
        rule = rules.get(endpoint)
        if rule is None or "GET" not in rule.methods:
            continue
        url = row.url.format(**ids)
        check(f"GET {url} ({endpoint})", client.get(url), _expected(row.get, principal, ids))
    for name, (url, table) in EXTRA_GETS.items():
        url = url.format(**ids)
        check(f"GET {url} ({name})", client.get(url), _expected(table, principal, ids))
    after = snapshot(session)
    assert changed_tables(before, after) == [], f"GET requests changed data as {principal}"

    # 2. POST without a CSRF token: 400 for everyone, nothing written (audit log included).
    before = snapshot(session, skip=())
    posts = sorted((row.order, endpoint) for endpoint, row in MATRIX.items()
                   if endpoint in rules and "POST" in rules[endpoint].methods)
    for _, endpoint in posts:
        url = MATRIX[endpoint].url.format(**ids)
        check(f"POST {url} without token ({endpoint})", client.post(url, data={"x": "1"}), 400)
    assert changed_tables(before, snapshot(session, skip=())) == [], \
        f"a POST without CSRF token changed data as {principal}"

    # 3. POST with a valid token and an empty form: the access decision.
    token = csrf_token(client)
    for _, endpoint in posts:
        url = MATRIX[endpoint].url.format(**ids)
        if MATRIX[endpoint].fresh_session:
            client = _client_for(app, session, world, principal)
            token = csrf_token(client)
        response = client.post(url, data={"csrf_token": token})
        check(f"POST {url} with token ({endpoint})", response,
              _expected(MATRIX[endpoint].post, principal, ids))
    client = _client_for(app, session, world, principal)  # the last rows signed out
    token = csrf_token(client)
    for name, (url, table) in EXTRA_POSTS.items():
        url = url.format(**ids)
        check(f"POST {url} with token ({name})", client.post(url, data={"csrf_token": token}),
              _expected(table, principal, ids))

    assert not failures, f"access matrix as {principal}:\n  " + "\n  ".join(failures)
