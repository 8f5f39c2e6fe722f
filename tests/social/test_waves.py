"""Planning waves: instants, local hours across zones and clock changes, variants, problems."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from juntos.errors import ValidationError
from juntos.social.accounts import Account
from juntos.social.waves import (
    DUPLICATE,
    DUPLICATE_X,
    IN_PAST,
    INSTANT,
    LOCAL,
    NO_VARIANT,
    NOT_CONNECTED,
    TIME_SHIFTED,
    TOO_LONG,
    X_REPOST,
    VariantText,
    WaveSpec,
    plan,
    similarity_key,
)

NOW = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)


def account(id: int, org: str, zone: str, *, platform: str = "manual", languages=("en",),
            state: str = "manual", city: str = "") -> Account:
    return Account(id=id, organisation_id=id, organisation_slug=org.lower(), organisation_name=org,
                   city=city, country="", platform=platform, handle=org.lower(), instance_url="",
                   label=f"{org} page", timezone=zone, languages=tuple(languages), own_timezone="",
                   own_languages=(), state=state)


FOUR = [
    account(1, "Maputo Org", "Africa/Maputo", languages=("pt", "en")),
    account(2, "Kampala Org", "Africa/Kampala"),
    account(3, "Hargeisa Org", "Africa/Mogadishu"),
    account(4, "Copenhagen Org", "Europe/Copenhagen", languages=("da", "en")),
]
VARIANTS = [
    VariantText(id=10, language="en", platform="manual", text="Join us today #Juntos"),
    VariantText(id=11, language="pt", platform="manual", text="Junte-se a nós hoje #Juntos"),
]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # Friday before the European clock change (CEST, UTC+2 in Copenhagen).
        (date(2026, 10, 23), {"Maputo Org": "07:00", "Kampala Org": "06:00",
                              "Hargeisa Org": "06:00", "Copenhagen Org": "07:00"}),
        # Tuesday after it (CET, UTC+1); the African zones keep no daylight saving.
        (date(2026, 10, 27), {"Maputo Org": "07:00", "Kampala Org": "06:00",
                              "Hargeisa Org": "06:00", "Copenhagen Org": "08:00"}),
    ],
)
def test_nine_local_across_four_zones_either_side_of_the_clock_change(day, expected) -> None:
    wave = plan(FOUR, VARIANTS, WaveSpec(mode=LOCAL, day=day, at=time(9, 0)), now=NOW)
    assert {r.account.organisation_name: r.utc.strftime("%H:%M") for r in wave.rows} == expected
    assert all(r.local.strftime("%H:%M") == "09:00" for r in wave.rows)
    assert all(r.utc.date() == day for r in wave.rows)


def test_instant_is_the_same_utc_moment_everywhere_with_staggering() -> None:
    spec = WaveSpec(mode=INSTANT, day=date(2026, 10, 23), at=time(12, 0), stagger_minutes=2)
    wave = plan(FOUR, VARIANTS, spec, now=NOW)
    assert [r.utc.strftime("%H:%M") for r in wave.rows] == ["12:00", "12:02", "12:04", "12:06"]
    assert wave.rows[0].local.strftime("%H:%M %Z") == "14:00 CAT"
    assert wave.rows[3].local.strftime("%H:%M") == "14:06"  # Copenhagen, CEST


def test_variant_chosen_by_the_accounts_first_language_with_one() -> None:
    wave = plan(FOUR, VARIANTS, WaveSpec(mode=LOCAL, day=date(2026, 10, 23), at=time(9)), now=NOW)
    chosen = [r.variant.id if r.variant else None for r in wave.rows]
    assert chosen == [11, 10, 10, 10]  # Copenhagen: no Danish variant, English second language


def test_problems_are_listed_not_skipped() -> None:
    accounts = [
        account(1, "Somali Org", "Africa/Mogadishu", languages=("so",)),
        account(2, "X Org", "Africa/Maputo", platform="x", state="not_connected"),
    ]
    variants = [VariantText(id=1, language="en", platform="x", text="a" * 281)]
    wave = plan(accounts, variants, WaveSpec(mode=INSTANT, day=date(2026, 9, 1), at=time(9)),
                now=NOW)
    assert len(wave.rows) == 2
    assert wave.rows[0].problems == [NO_VARIANT, IN_PAST]
    assert wave.rows[1].problems == [TOO_LONG, IN_PAST, NOT_CONNECTED]
    assert wave.ready == []


def test_spring_forward_gap_is_shifted_and_flagged() -> None:
    cph = [account(1, "Copenhagen Org", "Europe/Copenhagen")]
    spec = WaveSpec(mode=LOCAL, day=date(2027, 3, 28), at=time(2, 30))
    row = plan(cph, VARIANTS, spec, now=NOW).rows[0]
    assert TIME_SHIFTED in row.problems
    assert row.utc == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert row.local.strftime("%H:%M") == "03:30"


def test_placeholders_fill_per_account() -> None:
    variants = [VariantText(id=1, language="en", platform="manual", text="{org} in {city} says no")]
    one = [account(1, "Ubuntu", "Africa/Johannesburg", city="Durban")]
    row = plan(one, variants, WaveSpec(mode=LOCAL, day=date(2026, 10, 23), at=time(9)),
               now=NOW).rows[0]
    assert row.text == "Ubuntu in Durban says no"


def test_similarity_ignores_links_hashtags_mentions_case_and_punctuation() -> None:
    a = "Act now! https://a.example.org/x #Juntos @forum"
    b = "act now https://b.example.net/y #Other"
    assert similarity_key(a) == similarity_key(b) == "act now"
    assert similarity_key("Ubuntu says act now") != similarity_key("Acção says act now")


def x_accounts(platform: str = "x") -> list[Account]:
    return [account(i, f"Org {i}", "Africa/Maputo", platform=platform, state="connected")
            for i in (1, 2, 3)]


def test_identical_text_on_x_blocks_and_on_mastodon_warns() -> None:
    spec = WaveSpec(mode=INSTANT, day=date(2026, 10, 23), at=time(9))
    for platform, code, blocked in (("x", DUPLICATE_X, True), ("mastodon", DUPLICATE, False)):
        variants = [VariantText(id=1, language="en", platform=platform, text="Act now #Juntos")]
        wave = plan(x_accounts(platform), variants, spec, now=NOW)
        assert all(code in r.problems for r in wave.rows)
        assert all(r.blocked is blocked for r in wave.rows)
    same = [VariantText(1, "en", "x", "Act #A")]
    assert plan(x_accounts(), same, spec, now=NOW).x_duplicates == 3


def test_per_account_text_is_the_allowed_pattern_on_x() -> None:
    variants = [VariantText(id=1, language="en", platform="x", text="{org} says: act now")]
    wave = plan(x_accounts(), variants, WaveSpec(mode=INSTANT, day=date(2026, 10, 23), at=time(9)),
                now=NOW)
    assert wave.x_duplicates == 0 and len(wave.ready) == 3


def test_repost_pattern_partners_repost_the_leads_post_after_it() -> None:
    variants = [VariantText(id=1, language="en", platform="x", text="Act now")]
    spec = WaveSpec(mode=INSTANT, day=date(2026, 10, 23), at=time(9), x_pattern=X_REPOST,
                    lead_account_id=1)
    wave = plan(x_accounts(), variants, spec, now=NOW)
    assert [r.kind for r in wave.rows] == ["post", "repost", "repost"]
    assert wave.x_duplicates == 0 and len(wave.ready) == 3
    assert [r.utc.strftime("%H:%M") for r in wave.rows] == ["09:00", "09:05", "09:05"]


def test_spec_validation_names_each_field() -> None:
    with pytest.raises(ValidationError) as e:
        WaveSpec.validated(mode="whenever", day="23/10/2026", at="nine", stagger_minutes="-1")
    assert set(e.value.errors) == {"mode", "day", "at", "stagger_minutes"}
    with pytest.raises(ValidationError) as e:
        WaveSpec.validated(mode="local", day="2026-10-23", at="09:00", x_pattern="repost")
    assert set(e.value.errors) == {"lead_account_id"}
    ok = WaveSpec.validated(mode="local", day="2026-10-23", at="09:00", stagger_minutes="2")
    assert ok.stagger_minutes == 2 and ok.at == time(9)
