"""Managing users: coordinators only."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from juntos.accounts import store as accounts
from juntos.accounts.roles import ROLES
from juntos.errors import Conflict, NotFound, ValidationError
from juntos.organisations import store as orgs
from juntos.web.i18n import gettext as _
from juntos.web.routing import flash, form_dict, page
from juntos.web.webarea import WebArea


def _render(request: Request, form: dict[str, str], errors: dict[str, str],
            status: int = 200) -> Response:
    db = request.state.db
    return request.app.state.templates.TemplateResponse(
        request,
        "users/list.html",
        {
            "users": accounts.list_users(db),
            # (value, label) choices for the form's selects
            "organisations": [(o["slug"], o["name"]) for o in orgs.all_slugs_and_names(db)],
            "roles": ROLES,
            "form": form,
            "errors": errors,
        },
        status_code=status,
    )


async def user_list(request: Request) -> Response:
    return _render(request, {}, {})


async def user_create(request: Request) -> Response:
    form = await form_dict(request)
    try:
        accounts.create(
            request.state.db,
            email=form.get("email", ""),
            password=form.get("password", ""),
            org_slug=form.get("organisation", ""),
            role=form.get("role", ""),
            name=form.get("name", ""),
            now=request.state.clock(),
        )
    except ValidationError as e:
        return _render(request, form, e.errors, 400)
    except NotFound:
        return _render(request, form, {"organisation": _("Choose an organisation.")}, 400)
    except Conflict:
        return _render(request, form, {"email": _("A user with this e-mail already exists.")}, 400)
    flash(request, _("User %(email)s added.", email=form.get("email", "")))
    return RedirectResponse("/users", status_code=303)


async def user_update(request: Request) -> Response:
    """Change a user's role or revoke their access; a coordinator cannot lock themself out."""
    form = await form_dict(request)
    user_id = int(request.path_params["user_id"])
    if user_id == request.state.user.id:
        flash(request, _("You cannot change your own role or access here."), "error")
        return RedirectResponse("/users", status_code=303)
    db = request.state.db
    if accounts.get_any(db, user_id) is None:
        raise NotFound("No such user.")
    if form.get("action") == "deactivate":
        accounts.set_active(db, user_id, False)
        flash(request, _("Access revoked. The user is logged out everywhere."))
    elif form.get("action") == "activate":
        accounts.set_active(db, user_id, True)
        flash(request, _("Access restored."))
    else:
        try:
            accounts.set_role(db, user_id, form.get("role", ""))
        except ValidationError:
            flash(request, _("Choose one of the roles."), "error")
            return RedirectResponse("/users", status_code=303)
        flash(request, _("Role changed."))
    return RedirectResponse("/users", status_code=303)


routes = [
    page("/users", user_list, action="user.manage", name="users"),
    page("/users", user_create, methods=["POST"], action="user.manage"),
    page("/users/{user_id:int}", user_update, methods=["POST"], action="user.manage"),
]

WEB = WebArea(name="users", routes=routes)
