"""An outbox row as an e-mail: plain text plus simple HTML, headers that say what it is.

No remote images, no tracking pixels, no rewritten links: the HTML is the text's paragraphs,
its one action as a link, and the footer. ``List-Unsubscribe`` with ``List-Unsubscribe-Post``
(RFC 8058) lets a mail client unsubscribe from this kind in one click.
"""

from __future__ import annotations

from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from juntos.mail import kinds
from juntos.mail.i18n import gettext_for
from juntos.mail.outbox import Content
from juntos.settings import Settings
from juntos.validation import N_

_FOOTER_PREFERENCES = N_("Choose which e-mails you get: %(url)s")
_FOOTER_STOP = N_("Stop e-mails of this kind: %(url)s")
_SENT_BY = N_("Sent by Juntos")


def sender_address(settings: Settings) -> str:
    """``JUNTOS_MAIL_FROM``, else ``juntos@`` the host users reach the app at."""
    if settings.mail_from:
        return settings.mail_from
    host = urlsplit(settings.public_base_url).hostname or "localhost"
    return f"Juntos <juntos@{host}>"


def build(row: dict[str, Any], settings: Settings, *, now: datetime) -> EmailMessage:
    """The message of an outbox row, with the Message-ID it was written with."""
    content = Content.from_json(row["content"])
    base = settings.public_base_url
    _ = gettext_for(row["language"])
    kind = kinds.kind(row["kind"])
    message = EmailMessage()
    message["From"] = sender_address(settings)
    message["To"] = _address(row["to_addr"])
    message["Subject"] = content.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = row["message_id"]
    message["Content-Language"] = row["language"]
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies, please
    message["X-Juntos-Kind"] = row["kind"]  # for the reader's own filters
    stop_url = ""
    if row["unsubscribe_token"]:
        stop_url = f"{base}/mail/unsubscribe/{row['unsubscribe_token']}"
        message["List-Unsubscribe"] = f"<{stop_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    action_url = base + content.action_path if content.action_path else ""
    footer = [content.why or _(kind.why)]
    if stop_url:
        footer.append(_(_FOOTER_STOP, url=stop_url))
        footer.append(_(_FOOTER_PREFERENCES, url=f"{base}/account#mail"))
    message.set_content(_text(content, action_url, footer))
    message.add_alternative(_html(content, action_url, footer, row["language"], _(_SENT_BY)),
                            subtype="html")
    return message


def _address(addr: str) -> Address | str:
    name, email = parseaddr(addr)
    if "@" not in email:
        return addr
    user, domain = email.rsplit("@", 1)
    return Address(display_name=name, username=user, domain=domain)


def _text(content: Content, action_url: str, footer: list[str]) -> str:
    parts = list(content.paragraphs)
    parts += [f"{label}:\n{url}" for label, url in content.links]
    if action_url:
        parts.append(f"{content.action_label}:\n{action_url}")
    for heading, lines in content.sections:
        parts.append("\n".join([heading, "-" * len(heading), *(f"- {line}" for line in lines)]))
    parts.append("-- \n" + "\n".join(footer))
    return "\n\n".join(parts) + "\n"


def _html(content: Content, action_url: str, footer: list[str], language: str,
          sent_by: str) -> str:
    # A paragraph's own line breaks are kept (a post's text, quoted as written).
    body = [f"<p>{escape(p).replace(chr(10), Markup('<br>'))}</p>" for p in content.paragraphs]
    body += [f'<p><a href="{escape(url)}">{escape(label)}</a></p>' for label, url in content.links]
    if action_url:
        body.append(f'<p><a href="{escape(action_url)}">{escape(content.action_label)}</a></p>')
    for heading, lines in content.sections:
        body.append(f"<h2>{escape(heading)}</h2>")
        body.append("<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>")
    small = "<br>".join(str(escape(line)) for line in footer)
    return (
        f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">'
        f"<title>{escape(content.subject)}</title></head>"
        '<body style="font-family:sans-serif;max-width:40em;overflow-wrap:anywhere">'
        + "".join(body)
        + f'<hr><p style="font-size:small;color:#555">{small}<br>{escape(sent_by)}</p>'
        "</body></html>"
    )
