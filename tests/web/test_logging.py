from __future__ import annotations

import logging

import pytest

from juntos.web.logfilter import install_redaction, redact


def test_tokens_in_paths_and_queries_are_masked() -> None:
    assert redact("GET /calendar/feeds/AbCdEf0123456789xyz.ics?campaign=x") == (
        "GET /calendar/feeds/[redacted].ics?campaign=x")
    assert redact("/cb?oauth_verifier=abc123&token=zzz&page=2") == (
        "/cb?oauth_verifier=[redacted]&token=[redacted]&page=2")


def test_access_log_records_are_masked(caplog: pytest.LogCaptureFixture) -> None:
    install_redaction()
    logger = logging.getLogger("uvicorn.access")
    with caplog.at_level(logging.INFO, logger="uvicorn.access"):
        logger.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1", "GET",
                    "/calendar/feeds/SECRETTOKEN1234567890.ics", "1.1", 200)
    assert "SECRETTOKEN" not in caplog.text
    assert "[redacted]" in caplog.text
