"""Invitations, password resets, and the page their links open (choose a password)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from juntos.accounts import invitations
from juntos.accounts.roles import COORDINATOR, MEMBER, VIEWER
from juntos.errors import Conflict, Forbidden, NotFound, TooManyAttempts, ValidationError
from juntos.organisations import store as orgs
from juntos.web.i18n import gettext as _
from juntos.web.routing import flash, form_dict, page
from juntos.web.views.auth import login_throttle
from juntos.web.webarea import WebArea


def _invite_form(request: Request, form: dict[str, str], errors: dict[str, str],
                 status: int = 200) -> Response:
    user = request.state.user
    coordinator = user.role == COORDINATOR
    return request.app.state.templates.TemplateResponse(request, "users/invite.html", {
        "form": form, "errors": errors,
        # (slug, name) choices for the form's select; a member invites into their own only
        "organisations": [(o["slug"], o["name"]) for o in orgs.all_slugs_and_names(
            request.state.db)] if coordinator else [],
        "roles": (COORDINATOR, MEMBER, VIEWER) if coordinator else (MEMBER, VIEWER),
    }, status_code=status)


async def invite_form(request: Request) -> Response:
    return _invite_form(request, {}, {})


async def invite(request: Request) -> Response:
    form = await form_dict(request)
    user = request.state.user
    org_id = user.organisation_id
    if user.role == COORDINATOR and form.get("organisation"):
        try:
            org_id = orgs.get(request.state.db, form["organisation"])["id"]
        except NotFound:
            return _invite_form(request, form, {"organisation": _("Choose an organisation.")},
                                400)
    try:
        invitations.invite(request.state.db, by=user, organisation_id=org_id, form=form,
                           now=request.state.clock())
    except ValidationError as e:
        return _invite_form(request, form, e.errors, 400)
    except Conflict:
        return _invite_form(request, form,
                            {"email": _("A user with this e-mail already exists.")}, 400)
    except Forbidden:
        return _invite_form(request, form, {"role": _(
            "You may invite people only to your own organisation, as members or viewers.")}, 403)
    flash(request, _("Invitation to %(email)s written: it goes out with the next e-mails.",
                     email=form.get("email", "")))
    return RedirectResponse("/users/invite", status_code=303)


def _set_form(request: Request, errors: dict[str, str], status: int = 200,
              email: str = "") -> Response:
    return request.app.state.templates.TemplateResponse(request, "auth/set_password.html", {
        "errors": errors, "email": email, "token": request.path_params["token"]},
        status_code=status)


async def set_password_form(request: Request) -> Response:
    try:
        found = invitations.link(request.state.db, request.path_params["token"],
                                 now=request.state.clock())
    except ValidationError as e:
        return _set_form(request, e.errors, 410)
    return _set_form(request, {}, email=found["email"])


async def set_password(request: Request) -> Response:
    form = await form_dict(request)
    try:
        invitations.use(request.state.db, request.path_params["token"],
                        password=form.get("password", ""), confirm=form.get("confirm", ""),
                        now=request.state.clock())
    except ValidationError as e:
        return _set_form(request, e.errors, 410 if "token" in e.errors else 400)
    flash(request, _("Password set. Log in with your e-mail and the new password."))
    return RedirectResponse("/login", status_code=303)


async def forgot_form(request: Request) -> Response:
    return request.app.state.templates.TemplateResponse(request, "auth/forgot.html",
                                                        {"done": False, "error": ""})


async def forgot(request: Request) -> Response:
    form = await form_dict(request)
    address = request.client.host if request.client else "unknown"
    try:
        invitations.request_reset(request.state.db, form.get("email", ""), address=address,
                                  throttle=login_throttle(request), now=request.state.clock())
    except TooManyAttempts:
        return request.app.state.templates.TemplateResponse(
            request, "auth/forgot.html",
            {"done": False, "error": _("Too many requests. Wait a few minutes and try again.")},
            status_code=429)
    # The same answer whether the address has an account or not.
    return request.app.state.templates.TemplateResponse(request, "auth/forgot.html",
                                                        {"done": True, "error": ""})


routes = [
    page("/users/invite", invite_form, action="user.invite", name="invite"),
    page("/users/invite", invite, methods=["POST"], action="user.invite"),
    page("/password/set/{token}", set_password_form, public=True, name="set_password"),
    page("/password/set/{token}", set_password, methods=["POST"], public=True),
    page("/login/forgot", forgot_form, public=True, name="forgot"),
    page("/login/forgot", forgot, methods=["POST"], public=True),
]

WEB = WebArea(name="invite", routes=routes)
