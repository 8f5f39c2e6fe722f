"""The issue's scenario: a commitment due tomorrow, `juntos mail send --once` against a real
SMTP server on loopback: one reminder per member of its organisation, however often it runs,
with RFC 8058 unsubscribe headers, and in Portuguese for the member who reads Portuguese."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from click.testing import CliRunner

from juntos.cli import cli
from juntos.clock import iso
from juntos.settings import Settings
from tests.campaigns.conftest import make_campaign
from tests.mail.smtp_server import Inbox


def _send(mail_settings: Settings) -> str:
    env = {"JUNTOS_SMTP_HOST": "127.0.0.1", "JUNTOS_SMTP_PORT": str(mail_settings.smtp_port),
           "JUNTOS_SMTP_STARTTLS": "false", "JUNTOS_MAIL_FROM": "juntos@example.org",
           "JUNTOS_BASE_URL": "https://juntos.example.org"}
    result = CliRunner().invoke(cli, ["--db", str(mail_settings.db_path), "mail", "send",
                                      "--once"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_commitment_due_tomorrow_reaches_each_member_once(db, clock, users, mail_settings,
                                                          inbox: Inbox) -> None:
    db.execute("update users set language = 'pt' where email = 'member@example.org'")
    campaign = make_campaign(db, clock, slug="clinics")
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    db["commitments"].insert({"campaign_id": campaign["id"], "organisation_id":
                              users["member"].organisation_id, "title": "Print the leaflets",
                              "due_date": tomorrow, "status": "open",
                              "created_at": iso(clock())})
    db.conn.commit()

    _send(mail_settings)
    assert "0 sent" in _send(mail_settings)

    # Org A's coordinator and member (not its viewer, not org B's member), once each.
    reminders = [m for m in inbox.messages if m["X-Juntos-Kind"] == "campaigns.commitment_due"]
    assert sorted(m["To"].addresses[0].addr_spec for m in reminders) == [
        "coord@example.org", "member@example.org"]
    english, portuguese = sorted(reminders, key=lambda m: str(m["To"]))
    assert english["Subject"] == "Due tomorrow: Print the leaflets"
    assert portuguese["Subject"].startswith("Prazo amanhã")
    for message in (english, portuguese):
        assert message["List-Unsubscribe"].startswith("<https://juntos.example.org/mail/"
                                                      "unsubscribe/")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["Message-ID"]
        assert message.get_body(("plain",)) and message.get_body(("html",))
    text = portuguese.get_body(("plain",)).get_content()
    assert "https://juntos.example.org/campaigns/clinics" in text
    assert "membro" in text  # why it was sent, in Portuguese
