from __future__ import annotations

import pytest

from juntos.catalogue import moderation, search, store
from juntos.catalogue.models import IdeaInput
from juntos.errors import Forbidden, ValidationError
from tests.catalogue.support import add_idea


def found(db, q):
    return [h["slug"] for h in search.search(db, search.Query(q=q)).hits]


def test_new_contributor_waits_for_review_then_coordinator_publishes(db, users, clock):
    data = IdeaInput.validated(title="Bicycle caravan", klass="creative")
    idea = moderation.propose(db, data, user=users["member"], now=clock())
    assert idea["status"] == "draft"
    assert found(db, "bicycle") == []
    assert [i["slug"] for i in moderation.review_queue(db)] == ["bicycle-caravan"]
    clock.advance(hours=1)
    published = moderation.publish(db, idea, user=users["coordinator"], now=clock())
    assert published["status"] == "published"
    assert found(db, "bicycle") == ["bicycle-caravan"]
    actions = [(h["action"], h["by"]) for h in store.history(db, idea["id"])]
    assert actions == [("published", users["coordinator"].id),
                       ("proposed", users["member"].id)]


def test_established_contributor_publishes_directly(db, users, clock):
    for n in range(moderation.ESTABLISHED_AFTER):
        add_idea(db, clock, title=f"Earlier idea {n}", by=users["member"].id)
    idea = moderation.propose(db, IdeaInput.validated(title="Vigil", klass="protest"),
                              user=users["member"], now=clock())
    assert idea["status"] == "published"


def test_member_edit_of_published_idea_becomes_a_review_copy(db, users, clock):
    original = add_idea(db, clock, title="Radio drama", summary="Old summary")
    data = IdeaInput.validated(title="Radio drama", klass="digital", summary="Better summary")
    copy, outcome = moderation.edit(db, original, data, user=users["member"], now=clock())
    assert outcome == "review" and copy["revision_of"] == original["id"]
    assert store.get_by_id(db, original["id"])["summary"] == "Old summary"
    assert found(db, "better") == []
    # A second edit by the same member updates the same copy.
    again, _ = moderation.edit(db, original, data, user=users["member"], now=clock())
    assert again["id"] == copy["id"]
    merged = moderation.publish(db, copy, user=users["coordinator"], now=clock(), note="Thanks")
    assert merged["id"] == original["id"] and merged["summary"] == "Better summary"
    assert merged["slug"] == "radio-drama"
    assert found(db, "better") == ["radio-drama"]
    assert not list(db.query("select 1 from ideas where revision_of is not null"))
    actions = [h["action"] for h in store.history(db, original["id"])]
    assert actions[:3] == ["revision accepted", "revised", "revision proposed"] or \
        "revision accepted" in actions


def test_coordinator_edits_in_place_and_reject_needs_a_note(db, users, clock):
    idea = add_idea(db, clock, title="Sit-in at the ministry", status="draft",
                    by=users["member"].id)
    with pytest.raises(ValidationError) as e:
        moderation.reject(db, idea, user=users["coordinator"], now=clock(), note="  ")
    assert "note" in e.value.errors
    rejected = moderation.reject(db, idea, user=users["coordinator"], now=clock(),
                                 note="Add safety notes")
    assert rejected["status"] == "rejected" and rejected["review_note"] == "Add safety notes"
    mine = moderation.contributions(db, users["member"].id)
    assert [(i["slug"], i["status"], i["review_note"]) for i in mine] == [
        ("sit-in-at-the-ministry", "rejected", "Add safety notes")]
    # The contributor improves it: back to the queue.
    data = IdeaInput.validated(title="Sit-in at the ministry", klass="intervention",
                               safety_notes="Plan for arrests.")
    saved, outcome = moderation.edit(db, rejected, data, user=users["member"], now=clock())
    assert outcome == "saved" and saved["status"] == "draft"


def test_only_coordinators_publish_and_others_cannot_edit_a_draft(db, users, clock):
    idea = add_idea(db, clock, title="Draft", status="draft", by=users["member"].id)
    with pytest.raises(Forbidden):
        moderation.publish(db, idea, user=users["member"], now=clock())
    with pytest.raises(Forbidden):
        moderation.edit(db, idea, IdeaInput.validated(title="X", klass="digital"),
                        user=users["other_member"], now=clock())
    with pytest.raises(Forbidden):
        moderation.propose(db, IdeaInput.validated(title="Y", klass="digital"),
                           user=users["viewer"], now=clock())
