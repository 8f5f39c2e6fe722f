"""Message kits: the kit, its variants side by side, its images."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from juntos.accounts import policy
from juntos.errors import NotFound, ValidationError
from juntos.social import campaign_link, kits
from juntos.web.i18n import gettext as _
from juntos.web.routing import flash, form_dict
from juntos.web.views.social.common import campaign_of, kit_of, number, redirect, render


async def kit_list(request: Request) -> Response:
    db, user = request.state.db, request.state.user
    campaign = campaign_of(request)
    form: dict[str, Any] = {}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        policy.require(user, "social.kit.write", campaign)
        form = await form_dict(request)
        try:
            kit = kits.create(db, campaign["id"], _kit_input(form), now=request.state.clock(),
                              by=user.id)
            return redirect(f"/campaigns/{campaign['slug']}/kits/{kit['id']}")
        except ValidationError as e:
            errors, status = e.errors, 400
    return render(request, "social/kits.html", {
        "campaign": campaign, "kits": kits.for_campaign(db, campaign["id"]), "form": form,
        "errors": errors}, status)


def _kit_input(form: dict[str, str]) -> kits.KitInput:
    return kits.KitInput.validated(
        title=form.get("title", ""), core_message=form.get("core_message", ""),
        hashtags=form.get("hashtags", ""), links=form.get("links", ""),
        call_to_action=form.get("call_to_action", ""))


def _kit_page(request: Request, campaign: dict[str, Any], kit: dict[str, Any], *,
              kit_form: dict[str, Any] | None = None, kit_errors: dict[str, str] | None = None,
              variant_form: dict[str, Any] | None = None,
              variant_errors: dict[str, dict[str, str]] | None = None,
              image_errors: dict[str, str] | None = None, status: int = 200) -> Response:
    db = request.state.db
    saved = kits.variants(db, kit["id"])
    return render(request, "social/kit.html", {
        "campaign": campaign, "kit": kit, "variants": saved, "images": kits.images(db, kit["id"]),
        "kit_form": kit_form or {**kit, "hashtags": " ".join(kit["hashtags"]),
                                 "links": "\n".join(kit["links"])},
        "kit_errors": kit_errors or {},
        "variant_form": variant_form or {}, "variant_errors": variant_errors or {},
        "image_errors": image_errors or {},
        "may_write": policy.can(request.state.user, "social.kit.write", campaign),
        "may_approve": policy.can(request.state.user, "social.approve", campaign),
    }, status)


async def kit_view(request: Request) -> Response:
    campaign = campaign_of(request)
    kit = kit_of(request, campaign)
    if request.method == "GET":
        return _kit_page(request, campaign, kit)
    policy.require(request.state.user, "social.kit.write", campaign)
    form = await form_dict(request)
    try:
        kits.update(request.state.db, kit["id"], _kit_input(form), now=request.state.clock())
    except ValidationError as e:
        return _kit_page(request, campaign, kit, kit_form=form, kit_errors=e.errors, status=400)
    flash(request, _("Kit saved."))
    return redirect(f"/campaigns/{campaign['slug']}/kits/{kit['id']}")


async def variants_save(request: Request) -> Response:
    """Save every variant textarea at once (side by side), plus an optional new one.

    Nothing is saved if any variant breaks its platform's rule: each error is shown next to
    its variant, with the count and the rule."""
    db, user = request.state.db, request.state.user
    campaign = campaign_of(request)
    kit = kit_of(request, campaign)
    policy.require(user, "social.kit.write", campaign)
    form = await form_dict(request)
    existing = {str(v["id"]): v for v in kits.variants(db, kit["id"])}
    wanted: list[tuple[str, str, str, str]] = []  # (key, language, platform, text)
    for key, variant in existing.items():
        if f"text_{key}" in form:
            wanted.append((key, variant["language"], variant["platform"], form[f"text_{key}"]))
    if form.get("new_text", "").strip() or form.get("new_language", "").strip():
        wanted.append(("new", form.get("new_language", "").strip().lower(),
                       form.get("new_platform", ""), form.get("new_text", "")))
    errors: dict[str, dict[str, str]] = {}
    for key, language, platform, text in wanted:
        try:
            kits.check_variant(language, platform, text.replace("\r\n", "\n").strip())
        except ValidationError as e:
            errors[key] = e.errors
    if errors:
        return _kit_page(request, campaign, kit, variant_form=form, variant_errors=errors,
                         status=400)
    now = request.state.clock()
    with db.atomic():
        for _key, language, platform, text in wanted:
            kits.save_variant(db, kit["id"], language=language, platform=platform, text=text,
                              now=now, by=user.id)
        for key in existing:
            if form.get(f"delete_{key}"):
                kits.delete_variant(db, int(key))
    flash(request, _("Variants saved."))
    return redirect(f"/campaigns/{campaign['slug']}/kits/{kit['id']}#variants")


async def image_add(request: Request) -> Response:
    db, user = request.state.db, request.state.user
    campaign = campaign_of(request)
    kit = kit_of(request, campaign)
    policy.require(user, "social.kit.write", campaign)
    form = await request.form()
    upload = form.get("image")
    data = await upload.read() if upload is not None and not isinstance(upload, str) else b""
    filename = getattr(upload, "filename", "") or "image"
    try:
        kits.add_image(db, kit["id"], filename=filename, data=data,
                       alt_text=str(form.get("alt_text", "")), now=request.state.clock())
    except ValidationError as e:
        return _kit_page(request, campaign, kit, image_errors=e.errors, status=400)
    flash(request, _("Image added."))
    return redirect(f"/campaigns/{campaign['slug']}/kits/{kit['id']}#images")


async def image_view(request: Request) -> Response:
    db = request.state.db
    image = kits.image_data(db, number(request.path_params["id"]))
    kit = kits.get(db, image["kit_id"])
    campaign = campaign_link.by_id(db, kit["campaign_id"])
    if not campaign_link.can_view(db, request.state.user, campaign):
        raise NotFound("No such image.")
    return Response(image["data"], media_type=image["content_type"],
                    headers={"Cache-Control": "private, max-age=86400",
                             "X-Content-Type-Options": "nosniff"})
