"""Fixtures for mail: a loopback SMTP server and settings pointing at it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from juntos.settings import Settings
from tests.mail.smtp_server import Inbox, smtp_server


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def inbox(smtp: tuple[Inbox, int]) -> Inbox:
    return smtp[0]


@pytest.fixture
def mail_settings(settings: Settings, smtp: tuple[Inbox, int]) -> Settings:
    return replace(settings, smtp_host="127.0.0.1", smtp_port=smtp[1], smtp_starttls=False,
                   mail_from="Juntos <juntos@example.org>",
                   base_url="https://juntos.example.org")
