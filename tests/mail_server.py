"""A real SMTP server for the tests: aiosmtpd's Controller on a free port, in this process
(its own thread and event loop). Not a test module.

``MailServer.messages`` holds what was accepted (envelope recipients, parsed message).
``refuse`` makes it answer 451 (a temporary failure) to the next N messages; ``block_rcpt``
holds the next RCPT until ``release()`` — the moment a client is mid-conversation.
"""

from __future__ import annotations

import email
import email.policy
import threading
import time
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller

from tests.oidc_provider import free_port


@dataclass
class Received:
    rcpt: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        return self.message.get_content()

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


@dataclass
class MailServer:
    port: int = 0
    messages: list[Received] = field(default_factory=list)
    refuse: int = 0
    rcpt_seen: threading.Event = field(default_factory=threading.Event)
    _blocked: threading.Event | None = None
    controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def block_rcpt(self) -> None:
        self._blocked = threading.Event()
        self.rcpt_seen.clear()

    def release(self) -> None:
        if self._blocked is not None:
            self._blocked.set()
            self._blocked = None

    # aiosmtpd handler hooks
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        import asyncio

        blocked = self._blocked
        if blocked is not None:
            self.rcpt_seen.set()
            while not blocked.is_set():
                await asyncio.sleep(0.02)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse > 0:
            self.refuse -= 1
            return "451 Tijdelijk niet beschikbaar"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(Received(list(envelope.rcpt_tos), message))
        return "250 OK"

    def start(self) -> MailServer:
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        self.release()
        if self.controller is not None:
            self.controller.stop()

    def wait_for(self, count: int, timeout: float = 20) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages
