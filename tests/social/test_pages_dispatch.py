"""A post that needs checking: the page says so, shows every attempt, and a person decides."""

from __future__ import annotations

from juntos.social import dispatch
from tests.social.dispatch_support import connected, post_row, scheduled
from tests.support.web import csrf_token, soup


def _needs_check(db, settings, org_a, kit, campaign, clock):  # type: ignore[no-untyped-def]
    account = connected(db, settings, org_a["id"], "mastodon", "accao", clock())
    post_id = scheduled(db, campaign["id"], kit["id"], account, "Fund clinics", clock(),
                        status="needs_check")
    db.execute("update social_posts set check_state = 'person' where id = ?", [post_id])
    db.execute("insert into social_post_attempts (post_id, at, worker, action, outcome, code,"
               " detail) values (?, '2026-11-23T09:00:01Z', 'w1', 'send', 'unknown', null,"
               " 'no answer in time after sending')", [post_id])
    db.conn.commit()
    return post_id


def test_a_person_marks_it_sent_with_its_address(as_user, db, settings, org_a, kit, campaign,
                                                 clock) -> None:
    post_id = _needs_check(db, settings, org_a, kit, campaign, clock)
    client = as_user("member")
    path = f"/messages/posts/{post_id}"
    page = soup(client.get(path))
    assert page.select_one(".needs-check") is not None
    cells = [td.get_text() for td in page.select("table.attempts tbody td")]
    assert "no answer in time after sending" in cells and "w1" in cells
    response = client.post(path, data={"csrf_token": csrf_token(client, path), "mark_sent": "1",
                                       "url": "https://masto.example.org/@accao/1"})
    assert response.status_code == 200
    assert post_row(db, post_id)["status"] == "sent"
    link = soup(response).select_one("#published-link")
    assert link["href"] == "https://masto.example.org/@accao/1"
    assert db.execute("select user_id from social_post_events where post_id = ?"
                      " order by id desc limit 1", [post_id]).fetchone()[0] is not None


def test_a_person_sends_it_again(as_user, db, settings, org_a, kit, campaign, clock) -> None:
    post_id = _needs_check(db, settings, org_a, kit, campaign, clock)
    client = as_user("member")
    path = f"/messages/posts/{post_id}"
    client.post(path, data={"csrf_token": csrf_token(client, path), "resend": "1"})
    row = post_row(db, post_id)
    assert (row["status"], row["check_state"]) == ("scheduled", "")
    assert dispatch.attempts(db, post_id)[0]["outcome"] == "unknown"  # history kept


def test_other_organisations_cannot_decide(as_user, db, settings, org_a, kit, campaign,
                                           clock) -> None:
    post_id = _needs_check(db, settings, org_a, kit, campaign, clock)
    client = as_user("viewer")
    path = f"/messages/posts/{post_id}"
    response = client.post(path, data={"csrf_token": csrf_token(client, "/account"),
                                       "resend": "1"})
    assert response.status_code == 404
    assert post_row(db, post_id)["status"] == "needs_check"
