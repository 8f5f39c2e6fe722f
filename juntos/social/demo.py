"""Demo data of the social area, loaded by `juntos demo` after organisations and campaigns.

Accounts for the Danish NGO, its partners and the Mozambican forum (mostly posted by hand, a
few X, Mastodon, Bluesky, Facebook Page and Telegram channel accounts "not connected": the demo
never calls a platform), and, when the campaigns demo has made the
regional autumn campaign, a message kit with English and Portuguese variants and one wave
planned for 09:00 local time, submitted for the lead's approval.
"""

from __future__ import annotations

from datetime import date, datetime, time

from juntos.db import Database
from juntos.social import accounts, authority, campaign_link, kits, posts, waves
from juntos.social.models import AccountInput

# (organisation slug, platform, handle, instance or label)
ACCOUNTS = [
    ("samvirke-dk", "x", "samvirke_dk", ""),
    ("samvirke-dk", "manual", "", "Facebook page"),
    ("mz-accao-cidada", "manual", "", "Facebook page and WhatsApp groups"),
    ("mz-accao-cidada", "mastodon", "accaocidada", "https://masto.pt"),
    ("so-hargeisa-voices", "manual", "", "Facebook page"),
    ("za-ubuntu-labour", "manual", "", "Facebook page"),
    ("za-ubuntu-labour", "bluesky", "ubuntulabour.bsky.social", ""),
    ("sz-lutsango-women", "manual", "", "WhatsApp broadcast list"),
    ("ug-land-alliance", "manual", "", "Facebook page"),
    ("ug-land-alliance", "x", "ug_land_alliance", ""),
    ("zw-youth-climate", "manual", "", "Instagram"),
    ("dk-klima-unge", "manual", "", "Instagram"),
    ("forum-juntos-mz", "manual", "", "Facebook page"),
    ("forum-juntos-mz", "x", "forumjuntosmz", ""),
    ("mz-accao-cidada", "facebook", "accaocidada.mz", ""),
    ("ug-land-alliance", "facebook", "uglandalliance", ""),
    ("so-hargeisa-voices", "telegram", "hargeisavoices", ""),
    ("zw-youth-climate", "telegram", "zwyouthclimate", ""),
]

KIT_TITLE = "International Day for the Eradication of Poverty: decent work is climate justice"
LINK = "https://samvirke.example.org/decent-work"
VARIANTS = [
    ("en", "manual", "On #EndPoverty day, {org} stands with workers in {city}: there is no "
     "climate justice without decent work. Sign the joint petition: " + LINK),
    ("pt", "manual", "No Dia Internacional para a Erradicação da Pobreza, {org} está com os "
     "trabalhadores de {city}: não há justiça climática sem trabalho digno. Assine a petição "
     "conjunta: " + LINK),
    ("en", "x", "{org} in {city}: no climate justice without decent work. #EndPoverty " + LINK),
    ("pt", "x", "{org} em {city}: não há justiça climática sem trabalho digno. "
     "#EndPoverty " + LINK),
    ("en", "mastodon", "Today {org} joins partners in seven countries: there is no climate "
     "justice without decent work. #EndPoverty #DecentWork " + LINK),
    ("pt", "mastodon", "Hoje {org} junta-se a parceiros de sete países: não há justiça "
     "climática sem trabalho digno. #EndPoverty #TrabalhoDigno " + LINK),
    ("en", "bluesky", "{org}: no climate justice without decent work. #EndPoverty " + LINK),
    ("en", "facebook", "On #EndPoverty day, {org} stands with workers in {city}: there is no "
     "climate justice without decent work. Sign the joint petition: " + LINK),
    ("pt", "facebook", "No Dia Internacional para a Erradicação da Pobreza, {org} está com os "
     "trabalhadores de {city}: não há justiça climática sem trabalho digno. " + LINK),
    ("en", "telegram", "{org} in {city}: there is no climate justice without decent work."
     " Sign the joint petition: " + LINK),
]


def _autumn_campaign(db: Database) -> dict | None:
    row = next(db.query(
        "select slug from campaigns where slug like 'autumn-%-decent-work' order by slug desc"
        " limit 1"), None) if db["campaigns"].exists() else None
    return campaign_link.by_slug(db, row["slug"]) if row else None


def load(db: Database, *, now: datetime) -> None:
    """Idempotent: accounts and the kit are only added when missing."""
    org_ids = {r["slug"]: r["id"] for r in db.query("select id, slug from organisations")}
    existing = {(r["organisation_id"], r["platform"], r["handle"], r["label"])
                for r in db.query("select * from social_accounts")}
    for slug, platform, handle, extra in ACCOUNTS:
        if slug not in org_ids:
            continue
        instance = extra if platform == "mastodon" else ""
        label = extra if platform == "manual" else ""
        if (org_ids[slug], platform, handle, label) in existing:
            continue
        accounts.create(db, org_ids[slug], AccountInput.validated(
            platform=platform, handle=handle, instance_url=instance, label=label), now=now)
    campaign = _autumn_campaign(db)
    if campaign is None or db.execute(
            "select 1 from social_kits where campaign_id = ?", [campaign["id"]]).fetchone():
        return
    kit = kits.create(db, campaign["id"], kits.KitInput.validated(
        title=KIT_TITLE, core_message="There is no climate justice without decent work.",
        hashtags="#EndPoverty #DecentWork", links=LINK,
        call_to_action="Sign the joint petition"), now=now)
    for language, platform, text in VARIANTS:
        kits.save_variant(db, kit["id"], language=language, platform=platform, text=text, now=now)
    day = date(int(campaign["slug"].split("-")[1]), 10, 17)
    if datetime.combine(day, time(0), tzinfo=now.tzinfo) <= now:
        return
    spec = waves.WaveSpec(mode=waves.LOCAL, day=day, at=time(9), stagger_minutes=1)
    partners = accounts.for_organisations(db, campaign_link.partner_org_ids(campaign))
    wave = waves.plan(partners, kits.variant_texts(db, kit["id"]), spec, now=now)
    result = posts.create_wave(db, campaign_id=campaign["id"], kit_id=kit["id"], spec=spec,
                               wave=wave, now=now)
    ids = [r["id"] for r in db.query("select id from social_posts where wave_id = ?",
                                     [result.wave_id])]
    posts.submit(db, ids, now=now, by=None)
    _authority(db, campaign, ids, now=now)


def _user(db: Database, email: str) -> dict | None:
    return next(db.query("select id, organisation_id from users where email = ?", [email]), None)


def _authority(db: Database, campaign: dict, ids: list[int], *, now: datetime) -> None:
    """The flow of posting authority: Ubuntu Labour's member delegates its Bluesky account to
    the campaign; the lead's member approves its own organisation's posts and, under that
    delegation, Ubuntu Labour's; the other partners' posts wait for their own organisations."""
    partner = _user(db, "partner@demo.juntos.example")
    lead = _user(db, "member@demo.juntos.example")
    if partner is None or lead is None:
        return
    bluesky = [a for a in accounts.for_organisation(db, partner["organisation_id"])
               if a.platform == "bluesky"]
    if bluesky:
        authority.grant(db, bluesky[0], authority.DelegationInput.validated(
            campaign=campaign["slug"], ends_on=campaign["end_date"] or now.date().isoformat()),
            organisation_id=partner["organisation_id"], now=now, by=partner["id"])
    posts.approve(db, ids, now=now, by=lead["id"], organisation_id=lead["organisation_id"],
                  approves_campaigns=[campaign["id"]])
