"""Mail pages: the outbox (coordinators), preferences (everyone, on /account), unsubscribe."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from juntos.errors import NotFound, ValidationError
from juntos.mail import outbox, preferences
from juntos.mail.kinds import DELIVERY_LABELS
from juntos.web.i18n import gettext as _
from juntos.web.routing import flash, form_dict, page
from juntos.web.webarea import WebArea


async def outbox_page(request: Request) -> Response:
    status = request.query_params.get("status", "")
    db = request.state.db
    return request.app.state.templates.TemplateResponse(request, "mail/outbox.html", {
        "rows": outbox.listing(db, status=status),
        "counts": outbox.counts(db),
        "status": status if status in outbox.STATUSES else "",
        "statuses": outbox.STATUSES,
        "smtp_host": request.app.state.settings.smtp_host,
        "status_labels": {"queued": _("Queued"), "sending": _("Sending"), "sent": _("Sent"),
                          "failed": _("Failed"), "unsure": _("May have been sent")},
    })


async def resolve(request: Request) -> Response:
    """A person settles an unsure message: it arrived (mark sent) or it did not (send again)."""
    form = await form_dict(request)
    decision = form.get("decision", "")
    if decision not in ("sent", "again"):
        raise ValidationError({"decision": _("Choose what happened.")})
    if not outbox.resolve(request.state.db, int(request.path_params["message_id"]), decision,
                          now=request.state.clock()):
        raise NotFound("No such unsure message.")
    flash(request, _("Message marked sent.") if decision == "sent"
          else _("Message queued to be sent again."))
    return RedirectResponse("/mail/outbox?status=unsure", status_code=303)


async def save_preferences(request: Request) -> Response:
    form = await form_dict(request)
    form.pop("csrf_token", None)
    try:
        preferences.save(request.state.db, request.state.user.id, form)
    except ValidationError:
        flash(request, _("Choose one of the options for each kind of e-mail."), "error")
        return RedirectResponse("/account#mail", status_code=303)
    flash(request, _("E-mail preferences saved."))
    return RedirectResponse("/account#mail", status_code=303)


async def unsubscribe_form(request: Request) -> Response:
    # A GET never unsubscribes: link checkers and previews open links too.
    kind = preferences.unsubscribe_target(request.state.db, request.path_params["token"])
    return request.app.state.templates.TemplateResponse(
        request, "mail/unsubscribe.html", {"kind": kind, "done": False,
                                           "token": request.path_params["token"]})


async def unsubscribe(request: Request) -> Response:
    """RFC 8058 one-click (the mail client posts ``List-Unsubscribe=One-Click``), or the
    button of the page above: the token in the address is the authority."""
    kind = preferences.unsubscribe(request.state.db, request.path_params["token"])
    return request.app.state.templates.TemplateResponse(
        request, "mail/unsubscribe.html", {"kind": kind, "done": True, "token": ""})


def preference_context(request: Request) -> dict[str, object]:
    """What the preferences partial on /account reads."""
    return {"mail_choices": preferences.choices(request.state.db, request.state.user.id),
            "delivery_labels": DELIVERY_LABELS}


routes = [
    page("/mail/outbox", outbox_page, action="mail.outbox", name="mail_outbox"),
    page("/mail/outbox/{message_id:int}/resolve", resolve, methods=["POST"],
         action="mail.outbox"),
    page("/account/mail", save_preferences, methods=["POST"]),
    page("/mail/unsubscribe/{token}", unsubscribe_form, public=True),
    page("/mail/unsubscribe/{token}", unsubscribe, methods=["POST"], public=True, csrf=False,
         name="mail_unsubscribe_post"),
]

WEB = WebArea(name="mail", routes=routes)
