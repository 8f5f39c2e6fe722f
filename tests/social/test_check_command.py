"""`juntos social check`: the platform's count, its limit, ok or too long, exit 1 when too long."""

from __future__ import annotations

from click.testing import CliRunner

from juntos.cli import cli


def run(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["social", "check", *args], input=stdin)


def test_ok_text_prints_count_and_limit() -> None:
    result = run("--platform", "x", "Olá https://example.org/a/very/long/path 😷")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "x: 30/280 ok"  # 4 + 23 + 1 + 2


def test_too_long_exits_1_and_names_the_rule() -> None:
    result = run("--platform", "bluesky", "a" * 301)
    assert result.exit_code == 1
    assert "bluesky: 301/300 too long" in result.output
    assert "300 characters" in result.output


def test_text_from_stdin() -> None:
    result = run("--platform", "mastodon", "-", stdin="x" * 500 + "\n")
    assert result.exit_code == 0, result.output
    assert "mastodon: 500/500 ok" in result.output


def test_unknown_platform_is_refused() -> None:
    result = run("--platform", "myspace", "hi")
    assert result.exit_code == 2
    assert "myspace" in result.output


def test_queue_lists_an_organisations_posts(settings, db, kit, social_accounts, clock) -> None:
    from datetime import date, time

    from juntos.social import kits, posts
    from juntos.social.waves import LOCAL, WaveSpec, plan

    spec = WaveSpec(mode=LOCAL, day=date(2026, 11, 25), at=time(9))
    wave = plan(social_accounts, kits.variant_texts(db, kit["id"]), spec, now=clock())
    posts.create_wave(db, campaign_id=1, kit_id=kit["id"], spec=spec, wave=wave, now=clock())
    result = CliRunner().invoke(cli, ["--db", str(settings.db_path), "social", "queue",
                                      "--org", "org-b", "--status", "draft"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("2026-11-25T07:00:00Z  draft       mastodon Ubuntu Labour")
    assert lines[-1] == "1 post(s)"
