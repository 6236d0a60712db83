"""Mail over STARTTLS with credentials, against a real SMTP server (aiosmtpd) that requires
TLS before anything else and AUTH before mail: the certificate is verified (a private CA given
with ?cafile= is trusted; without it the message waits, not sent in the clear), and a
password is never sent over plain SMTP."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl

import pytest
from sqlalchemy import select

from netwerk.models import MailMessage
from netwerk.notify import notify
from netwerk.notify.mail import MailConfigError, parse_mail_url
from tests.mail_server import MailServer


def _certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1 (its own CA): cert and key files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "netwerk test mail")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "mail.pem", tmp_path / "mail.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class TLSMailServer(MailServer):
    """The test server, with STARTTLS required and AUTH (user ``netwerk``, ``geheim``)."""

    logins: list[tuple[str, bool]]

    def start_tls(self, cert_path, key_path) -> TLSMailServer:
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        from tests.oidc_provider import free_port

        self.logins = []
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert_path, key_path)

        def authenticate(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login == b"netwerk" and auth_data.password == b"geheim"
            self.logins.append((auth_data.login.decode(), session.ssl is not None))
            return AuthResult(success=ok)

        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port,
                                     tls_context=context, require_starttls=True,
                                     authenticator=authenticate, auth_require_tls=True)
        self.controller.start()
        return self


@pytest.fixture
def tls_smtp(tmp_path):
    cert_path, key_path = _certificate(tmp_path)
    server = TLSMailServer().start_tls(cert_path, key_path)
    try:
        yield server, cert_path
    finally:
        server.stop()


def _mail_one(app, session, users, url):
    app.config["MAIL_URL"] = url
    notify(session, [users["medewerker"].id], "report", "/verifieren/meldingen", key="tls:1")
    session.commit()
    session.expire_all()
    return session.scalar(select(MailMessage))


def test_starttls_with_the_private_ca_delivers_after_auth(app, session, users, tls_smtp):
    server, ca = tls_smtp
    message = _mail_one(app, session, users,
                        f"smtp://netwerk:geheim@127.0.0.1:{server.port}?starttls=1&cafile={ca}")
    [got] = server.wait_for(1)
    assert got.rcpt == [users["medewerker"].email]
    assert server.logins == [("netwerk", True)]  # AUTH only after TLS
    assert message.state == "verstuurd"


def test_starttls_without_trusting_the_certificate_sends_nothing(app, session, users,
                                                                  tls_smtp):
    server, _ca = tls_smtp
    message = _mail_one(app, session, users,
                        f"smtp://netwerk:geheim@127.0.0.1:{server.port}?starttls=1")
    assert message.state == "wacht" and "CERTIFICATE_VERIFY_FAILED" in message.last_error
    assert server.messages == [] and server.logins == []  # the password never left


def test_credentials_without_tls_are_refused():
    with pytest.raises(MailConfigError, match="TLS"):
        parse_mail_url("smtp://netwerk:geheim@mail.example:25")
    assert parse_mail_url("smtp://mail.example:25?cafile=/etc/ca.pem").cafile == "/etc/ca.pem"
