"""No address gives a 500: every page's path parameters and ``page`` given huge, negative and
odd values answer 400 or 404 (a generic rule: ids are bounded where paths are matched, pages
where ``?page=`` is read, and any integer too large for SQLite is a 400)."""

from __future__ import annotations

import re

import pytest
from starlette.routing import Route

from juntos import house

HUGE = "9" * 40
ODD = [HUGE, "18446744073709551616", "-1", "0", "1e9", "%00", "..", "x" * 300]
PAGES = [HUGE, "-1", "0", "99999999", "abc", "1.5", "²"]


def _get_paths() -> list[str]:
    paths = []
    for web in [*(w for i in house.AREAS for w in i.web), *house.HOUSE_PAGES]:
        for route in web.routes:
            if isinstance(route, Route) and "GET" in (route.methods or ()):
                paths.append(route.path)
    return sorted(set(paths))


def _fill(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", value, path)


@pytest.mark.parametrize("value", ODD)
def test_path_parameters_out_of_range_never_give_a_500(as_user, value: str) -> None:
    client = as_user("coordinator")
    failures = []
    for path in _get_paths():
        if "{" not in path:
            continue
        response = client.get(_fill(path, value), follow_redirects=False)
        if response.status_code >= 500:
            failures.append((path, response.status_code))
    assert failures == []
    assert len(_get_paths()) > 50  # the rule is checked against every page, not a few


@pytest.mark.parametrize("value", PAGES)
def test_page_numbers_out_of_range_are_refused_with_a_message(as_user, value: str) -> None:
    client = as_user("coordinator")
    for path in ("/organisations", "/campaigns", "/network/actors", "/messages/queue"):
        response = client.get(path, params={"page": value})
        assert response.status_code == 400, (path, value, response.status_code)
        assert "The page number must be a whole number from 1 to 1,000,000." in response.text


def test_a_huge_id_in_a_path_answers_404(as_user) -> None:
    response = as_user("coordinator").get(f"/stories/{HUGE}")
    assert response.status_code == 404


def test_a_huge_number_reaching_the_database_is_a_400(as_user) -> None:
    response = as_user("coordinator").get(f"/calendar/events/{HUGE}")
    assert response.status_code in (400, 404)
