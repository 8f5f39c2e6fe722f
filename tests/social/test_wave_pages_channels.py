"""A wave across partners' Facebook Pages and Telegram channels at 09:00 in each partner's own
morning goes out once each, through the fake Graph API and Bot API on 127.0.0.1, with the
kit's image (and its alt text on Facebook; Telegram takes none)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

from juntos.campaigns import store as campaigns
from juntos.organisations import store as orgs
from juntos.organisations.models import OrganisationInput
from juntos.social import accounts, credentials, kits, posts, waves
from juntos.social.dispatch import Config, Dispatcher
from juntos.social.models import AccountInput
from tests.social.dispatch_support import approve_as_owners, dispatch_settings
from tests.support.fake_pages import channel
from tests.support.fake_platform import FakePlatform, running

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
ALT = "Nurses outside a rural clinic at dawn"
BOT = "555:wave-bot"


def _account(db, s, org_id, platform, handle, secret, now):  # type: ignore[no-untyped-def]
    account = accounts.create(db, org_id, AccountInput.validated(platform=platform,
                                                                 handle=handle), now=now)
    credentials.store(db, credentials.Vault.from_settings(s), account.id, secret, now=now)
    return account


def test_a_local_morning_wave_goes_out_once_on_every_page_and_channel(
        db, settings, org_a, org_b, campaign, clock) -> None:
    org_c = orgs.create(db, OrganisationInput.validated(
        name="Chapter Four", slug="org-c", country="UG", timezone="Africa/Kampala"), now=clock())
    campaigns.add_partner(db, campaign["id"], "org-c", "partner", accepted=True, now=clock())
    for org in (org_a, org_b, org_c):
        db["organisations"].update(org["id"], {"languages": '["en"]'})
    kit = kits.create(db, campaign["id"], kits.KitInput.validated(
        title="Day of action", core_message="Fund clinics"), now=clock())
    kits.save_variant(db, kit["id"], language="en", platform="facebook",
                      text="{org}: fund clinics now https://example.org/clinics", now=clock())
    kits.save_variant(db, kit["id"], language="en", platform="telegram",
                      text="{org}: clinics <now> & always #Saude", now=clock())
    kits.add_image(db, kit["id"], filename="clinic.png", data=PNG, alt_text=ALT, now=clock())

    with running(FakePlatform(telegram_bots={BOT: 555}, telegram_channels={
            "accaonews": channel("accaonews", -101), "ugandanews": channel("ugandanews", -103)},
            )) as fake:
        s = credentials.with_credentials_key(
            replace(dispatch_settings(settings, fake.base), dispatch_timeout_seconds=2))
        now = clock()
        pages = {org["id"]: _account(db, s, org["id"], "facebook", f"{1000 + n}", {
            "page": f"{1000 + n}", "page_token": f"page-{1000 + n}-t", "page_id": f"{1000 + n}"},
            now) for n, org in enumerate((org_a, org_b, org_c), start=1)}
        chans = {org["id"]: _account(db, s, org["id"], "telegram", name, {
            "channel": name, "bot_token": BOT, "chat_id": str(chat)}, now)
            for org, name, chat in ((org_a, "accaonews", -101), (org_c, "ugandanews", -103))}

        spec = waves.WaveSpec(mode=waves.LOCAL, day=date(2026, 11, 24), at=time(9, 0))
        partners = accounts.for_organisations(db, campaign["member_org_ids"] + [org_c["id"]])
        plan = waves.plan(partners, kits.variant_texts(db, kit["id"]), spec, now=now)
        assert not [r.problems for r in plan.rows if r.problems]
        wave = posts.create_wave(db, campaign_id=campaign["id"], kit_id=kit["id"], spec=spec,
                                 wave=plan, now=now)
        ids = [r["id"] for r in db.query("select id from social_posts where wave_id = ?",
                                         [wave.wave_id])]
        assert len(ids) == 5
        posts.submit(db, ids, now=now, by=None)
        assert approve_as_owners(db, ids, now=now) == 5
        worker = Dispatcher(s, clock=clock, config=Config(), worker="w1")

        clock.now = datetime(2026, 11, 24, 5, 59, tzinfo=UTC)
        assert worker.run_once(db) == {}
        clock.now = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)  # 09:00 in Kampala
        assert sorted(worker.run_once(db).values()) == ["sent", "sent"]
        assert {i.get("page") or i.get("channel") for i in fake.created} == {"1003",
                                                                             "ugandanews"}
        clock.now = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # 09:00 in Maputo and Durban
        assert sorted(worker.run_once(db).values()) == ["sent"] * 3
        clock.now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
        assert worker.run_once(db) == {}
        created, media = list(fake.created), {m["id"]: m for m in fake.media}

    assert sorted(i["key"] for i in created) == sorted([
        "fb:Acção Cidadã: fund clinics now https://example.org/clinics",
        "fb:Ubuntu Labour: fund clinics now https://example.org/clinics",
        "fb:Chapter Four: fund clinics now https://example.org/clinics",
        "tg:Acção Cidadã: clinics &lt;now&gt; &amp; always #Saude",
        "tg:Chapter Four: clinics &lt;now&gt; &amp; always #Saude"])
    for item in created:
        if "page" in item:  # Facebook: the photo, with its alt text, attached to one post
            [photo] = item["media_ids"]
            assert media[photo]["alt"] == ALT and media[photo]["data"] == PNG
        else:
            assert [p["data"] for p in item["photos"]] == [PNG]
    sent = {r["account_id"]: r for r in db.query(
        "select * from social_posts where wave_id = ?", [wave.wave_id])}
    assert {a.id for a in (*pages.values(), *chans.values())} == set(sent)
    assert all(r["status"] == "sent" and r["platform_url"] for r in sent.values())
