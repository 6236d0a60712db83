"""Sending one message over SMTP (the standard library's smtplib).

``NETWERK_MAIL_URL``:

* ``smtp://host:port`` — plain SMTP (a relay on the local network, a test server);
* ``smtp://user:password@host:587?starttls=1`` — STARTTLS, then AUTH with the credentials
  (user and password URL-encoded: ``%40`` for ``@``);
* ``smtps://user:password@host:465`` — TLS from the first byte.

The server's certificate is always verified, for STARTTLS too, against the host name of the
URL (smtplib's own default context for ``starttls()`` verifies nothing, so the context is
always passed). ``?cafile=/pad/ca.pem`` trusts a private CA (a relay inside the
organisation) besides the system's. Credentials on plain ``smtp://`` without STARTTLS are
refused: the password would cross the network unencrypted.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import parse_qs, unquote, urlsplit


class MailConfigError(ValueError):
    pass


@dataclass(frozen=True)
class MailServer:
    host: str
    port: int
    user: str | None
    password: str | None
    starttls: bool
    tls: bool
    cafile: str | None = None


def parse_mail_url(url: str) -> MailServer:
    parts = urlsplit(url or "")
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise MailConfigError(
            "NETWERK_MAIL_URL: use smtp://[user:password@]host[:port][?starttls=1] or smtps://…")
    query = parse_qs(parts.query)
    starttls = (query.get("starttls", ["0"])[0].lower() in {"1", "true", "yes", "ja"})
    tls = parts.scheme == "smtps"
    if parts.username and not (tls or starttls):
        raise MailConfigError(
            "NETWERK_MAIL_URL: credentials only over TLS (add ?starttls=1, or use smtps://)")
    return MailServer(host=parts.hostname, port=parts.port or (465 if tls else 25),
                      user=unquote(parts.username) if parts.username else None,
                      password=unquote(parts.password) if parts.password else None,
                      starttls=starttls, tls=tls,
                      cafile=query.get("cafile", [None])[0] or None)


def tls_context(server: MailServer) -> ssl.SSLContext:
    """A verifying client context: the system's CAs (and ``cafile``), host name checked."""
    context = ssl.create_default_context(cafile=server.cafile)
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    return context


def build_message(sender: str, to: str, subject: str, body: str, message_id: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    # The same id on every attempt: a receiving system can drop a copy it already has.
    message["Message-ID"] = message_id
    message.set_content(body)
    return message


def send(url: str, message: EmailMessage, timeout: float = 10) -> None:
    """Deliver ``message``; any failure raises (smtplib.SMTPException or OSError)."""
    server = parse_mail_url(url)
    if server.tls:
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(server.host, server.port, timeout=timeout,
                                              context=tls_context(server))
    else:
        smtp = smtplib.SMTP(server.host, server.port, timeout=timeout)
    with smtp:
        if server.starttls:
            # Never without our context: starttls() would otherwise verify nothing.
            smtp.starttls(context=tls_context(server))
            smtp.ehlo()  # RFC 3207: what the server said before TLS is forgotten
        if server.user:
            smtp.login(server.user, server.password or "")
        smtp.send_message(message)
