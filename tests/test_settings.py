from __future__ import annotations

import stat
from pathlib import Path

from juntos.settings import Settings, settings_from_env


def test_environment_variables_fill_settings_and_flags_win(tmp_path: Path) -> None:
    env = {"JUNTOS_DB": str(tmp_path / "a.db"), "JUNTOS_PORT": "9001", "JUNTOS_HTTPS": "yes",
           "JUNTOS_PAGE_SIZE": "20"}
    s = settings_from_env(env)
    assert s.db_path == tmp_path / "a.db"
    assert s.port == 9001 and s.https is True and s.page_size == 20
    s = settings_from_env(env, db_path=tmp_path / "b.db", port=None)
    assert s.db_path == tmp_path / "b.db" and s.port == 9001


def test_secret_is_generated_once_beside_the_database_with_mode_600(tmp_path: Path) -> None:
    s = Settings(db_path=tmp_path / "juntos.db")
    first = s.with_secret()
    assert len(first.secret_key) >= 40
    mode = stat.S_IMODE(s.secret_path.stat().st_mode)
    assert mode == 0o600
    assert s.with_secret().secret_key == first.secret_key  # reused, not regenerated


def test_secret_never_appears_in_repr(tmp_path: Path) -> None:
    s = Settings(db_path=tmp_path / "x.db", secret_key="super-secret-value")
    assert "super-secret-value" not in repr(s)


def test_secure_cookies_follow_https_base_url() -> None:
    assert Settings(base_url="https://juntos.example.org").secure_cookies
    assert not Settings().secure_cookies


def test_settings_travel_to_workers_through_the_environment(tmp_path: Path) -> None:
    s = Settings(db_path=tmp_path / "w.db", port=9002, https=True, workers=3,
                 trusted_proxies="127.0.0.1, 10.0.0.0/8", calendar_sync_minutes=60)
    assert settings_from_env(s.to_env()) == s
    assert s.trusted_proxy_list == ["127.0.0.1", "10.0.0.0/8"]
