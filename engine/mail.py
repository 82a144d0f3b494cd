"""Sending mail: a small interface the worker sends notices through, and its SMTP implementation.

Configured with one URL (MATTERFLOW_SMTP_URL), e.g.
`smtp://notices:secret@mail.example.gov.cn:587?from=noreply@example.gov.cn&starttls=1`;
`smtps://` connects with TLS from the start. Without it notices stay in the in-app inbox.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class OutgoingMail:
    to: str
    subject: str
    body: str


class Sender(Protocol):
    """Anything that delivers a mail or raises OSError (smtplib's errors are OSErrors)."""

    def send(self, mail: OutgoingMail) -> None: ...


@dataclass(frozen=True)
class SmtpSender:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    tls: bool = False  # TLS from the first byte (smtps)
    starttls: bool = False

    def send(self, mail: OutgoingMail) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, mail.to, mail.subject
        message.set_content(mail.body)
        kind = smtplib.SMTP_SSL if self.tls else smtplib.SMTP
        with kind(self.host, self.port, timeout=TIMEOUT_SECONDS) as client:
            if self.starttls:
                client.starttls()
            if self.username:
                client.login(self.username, self.password or "")
            client.send_message(message)


def sender_from_url(url: str) -> SmtpSender:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    tls = parts.scheme == "smtps"
    return SmtpSender(
        host=parts.hostname or "localhost",
        port=parts.port or (465 if tls else 25),
        sender=query.get("from", [f"matterflow@{parts.hostname or 'localhost'}"])[0],
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        tls=tls,
        starttls=query.get("starttls", ["0"])[0] in ("1", "true", "yes"),
    )
