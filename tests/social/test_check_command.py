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
