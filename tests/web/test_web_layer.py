"""netwerk.web: one rule for ids, pages and enums in query strings; one fetch-or-404; one
error base. A malformed value is a 400 with a Dutch sentence (JSON under /api/), never a 500."""

import pytest
from werkzeug.exceptions import NotFound

from netwerk.errors import UserError
from netwerk.models import Area, AreaKind
from netwerk.web import BadArgument, arg_enum, arg_id, arg_page, get_or_404, parse_id
from netwerk.web.forms import MultiCheckboxField, put_error

MALFORMED = ["²", "abc", "99999999999999999999", "2147483648", "0", "-3", "1.5", " ", "١٢"]


@pytest.mark.parametrize("raw", ["1", "42", " 7 ", "2147483647"])
def test_well_formed_ids_parse(raw):
    assert parse_id(raw) == int(raw)


@pytest.mark.parametrize("raw", [r for r in MALFORMED if r.strip()])
def test_malformed_ids_do_not(raw):
    assert parse_id(raw) is None


@pytest.mark.parametrize("raw", [r for r in MALFORMED if r.strip()])
def test_arg_id_answers_400_in_dutch(app, raw):
    with (app.test_request_context("/", query_string={"wijk": raw}),
          pytest.raises(BadArgument) as caught):
        arg_id("wijk")
    assert caught.value.code == 400
    assert "'wijk'" in caught.value.description
    assert any(word in caught.value.description for word in ("geheel getal", "te groot",
                                                              "minstens"))


def test_absent_arguments_give_the_default(app):
    with app.test_request_context("/"):
        assert arg_id("wijk") is None
        assert arg_page() == 1
        assert arg_enum("kind", AreaKind) is None
        with pytest.raises(BadArgument):
            arg_id("wijk", required=True)


def test_arg_enum_accepts_only_members(app):
    with app.test_request_context("/?kind=wijk"):
        assert arg_enum("kind", AreaKind) is AreaKind.WIJK
    with app.test_request_context("/?kind=planeet"), pytest.raises(BadArgument) as caught:
        arg_enum("kind", AreaKind)
    assert "planeet" in caught.value.description


def test_get_or_404(app, session, make):
    area = make.area()
    session.commit()
    with app.test_request_context("/"):
        for bad in (0, -1, 2**31, "²", "abc", None, 999_999):
            with pytest.raises(NotFound):
                get_or_404(session, Area, bad)
        assert get_or_404(session, Area, str(area.id)) is area
        assert get_or_404(session, Area, area.id) is area


def test_user_errors_land_on_their_field(app):
    from flask_wtf import FlaskForm
    from wtforms import StringField
    from wtforms.fields.choices import SelectChoice

    class Form(FlaskForm):
        class Meta:
            csrf = False

        name = StringField()
        pick = MultiCheckboxField(choices=[SelectChoice("a", "A")])

    with app.test_request_context("/"):
        form = Form(formdata=None)
        assert put_error(form, UserError("Naam: te lang.", "name"))
        assert form.name.errors == ["Naam: te lang."]
        assert not put_error(form, UserError("Iets anders.", "elders"))
        assert not put_error(form, UserError("Zonder veld."))
        assert 'type="checkbox"' in form.pick()


def test_every_user_facing_error_shares_the_base():
    from netwerk.capacity.operations import CapacityError
    from netwerk.capacity.queries import UnknownArea, UnknownCapacityType
    from netwerk.directory.operations import UpdateError
    from netwerk.directory.photos import InvalidPhoto
    from netwerk.interchange.tabular import TableError
    from netwerk.matching.operations import CaseError
    from netwerk.network.operations import WorkSessionError
    from netwerk.phone import InvalidPhoneNumber

    for cls in (UnknownArea, UnknownCapacityType, CapacityError, InvalidPhoto, UpdateError,
                TableError, CaseError, WorkSessionError, InvalidPhoneNumber):
        assert issubclass(cls, UserError), cls
    assert WorkSessionError("Gebied: onbekend.", field="area").field == "area"
    assert UpdateError({"mobile": "Mobiel: fout."}).field == "mobile"


@pytest.mark.parametrize("raw", ["²", "99999999999999999999", "abc"])
def test_api_answers_malformed_query_values_with_json_400(client, session, users, raw):
    from netwerk.api.tokens import create_token

    token = create_token(session, users["medewerker"])
    session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    for path in (f"/api/v1/people?organisation_id={raw}", f"/api/v1/people?page={raw}",
                 f"/api/v1/areas?kind={raw}"):
        response = client.get(path, headers=headers)
        assert response.status_code == 400, path
        assert response.is_json and response.json["error"]["message"]


def test_an_html_page_shows_the_dutch_sentence_of_a_bad_argument(app, users):
    """The error page says which parameter is wrong (not only "Dit verzoek klopt niet")."""
    from tests.conftest import PASSWORD

    app.add_url_rule("/_test/arg", "test_arg", lambda: str(arg_id("wijk")))
    client = app.test_client()
    client.post("/login", data={"email": users["medewerker"].email, "password": PASSWORD})
    assert client.get("/_test/arg?wijk=5").text == "5"
    response = client.get("/_test/arg?wijk=²")
    assert response.status_code == 400
    assert "&#39;wijk&#39; moet een geheel getal zijn." in response.text or \
        "'wijk' moet een geheel getal zijn." in response.text
