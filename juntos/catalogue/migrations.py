"""Schema of the catalogue area. Never edit a released migration: add a new one."""

from __future__ import annotations

from juntos.catalogue import words
from juntos.db import Database, Migrations, add_change_counter

migrations = Migrations("juntos.catalogue")


@migrations()
def m001_ideas(db: Database) -> None:
    db["ideas"].create(
        {
            "id": int,
            "slug": str,
            "title": str,
            "summary": str,
            "body": str,  # Markdown, rendered and sanitised on display
            "class": str,
            "subclass": str,
            "tags": str,  # JSON list
            "themes": str,  # JSON list
            "risk": str,  # low | medium | high | "" (not assessed yet)
            "safety_notes": str,
            "cost": str,
            "people": str,
            "preparation": str,
            "mode": str,  # online | offline | both
            "suits": str,
            "not_suits": str,
            "language": str,  # the language the entry is written in
            "organisation_id": int,
            "status": str,  # draft (waiting for review) | published | rejected
            "completeness": str,  # stub | partial | complete (derived on save)
            "method_number": int,  # the classic method's number (1-198), a stable key
            "revision_of": int,  # a review copy of this published idea
            "review_note": str,
            "created_at": str,
            "created_by": int,
            "updated_at": str,
            "updated_by": int,
            "published_at": str,
        },
        pk="id",
        not_null={"slug", "title", "class", "status"},
        defaults={"tags": "[]", "themes": "[]", "status": "draft", "language": "en",
                  "completeness": "stub"},
        foreign_keys=[("organisation_id", "organisations", "id"),
                      ("revision_of", "ideas", "id")],
    )
    db["ideas"].create_index(["slug"], unique=True)
    db["ideas"].create_index(["method_number"], unique=True)
    db["ideas"].create_index(["status", "published_at"])
    db["ideas"].create_index(["revision_of"])
    db["ideas"].create_index(["created_by"])

    # Translations: one row per idea, language and field, each with its source.
    db["idea_translations"].create(
        {"idea_id": int, "language": str, "field": str, "text": str, "source": str,
         "updated_at": str, "updated_by": int},
        pk=("idea_id", "language", "field"),
        foreign_keys=[("idea_id", "ideas", "id")],
    )

    # Facet values of published ideas (one row per idea, facet and value), kept by the store:
    # one indexed table answers every facet count in a single grouped query.
    db["idea_facets"].create(
        {"idea_id": int, "facet": str, "value": str},
        pk=("facet", "value", "idea_id"),
        foreign_keys=[("idea_id", "ideas", "id")],
    )
    db["idea_facets"].create_index(["idea_id"])

    # Full-text index of published ideas (rowid = ideas.id), maintained by the store because
    # it spans two tables (ideas and their translations). Accents and case are folded.
    db.execute(
        "CREATE VIRTUAL TABLE ideas_fts USING fts5("
        "title, summary, body, tags, translations,"
        " tokenize = 'unicode61 remove_diacritics 2')"
    )

    db["idea_history"].create(
        {"id": int, "idea_id": int, "at": str, "by": int, "action": str, "note": str,
         "fields": str},
        pk="id",
        foreign_keys=[("idea_id", "ideas", "id"), ("by", "users", "id")],
    )
    db["idea_history"].create_index(["idea_id", "at"])


@migrations()
def m002_case_stories(db: Database) -> None:
    db["case_stories"].create(
        {
            "id": int,
            "title": str,
            "happened_on": str,  # ISO date
            "place": str,  # empty when blurred
            "region": str,
            "country": str,
            "organisation_id": int,  # empty when the story is pseudonymous
            "pseudonymous": int,
            "what_happened": str,  # Markdown
            "outcome": str,  # yes | partly | no
            "outcome_why": str,
            "lessons": str,
            "links": str,  # JSON list of URLs
            "campaign_id": int,
            "language": str,
            "status": str,
            "review_note": str,
            "created_at": str,
            "created_by": int,
            "updated_at": str,
            "updated_by": int,
            "published_at": str,
        },
        pk="id",
        not_null={"title", "status"},
        defaults={"pseudonymous": 0, "links": "[]", "status": "draft", "language": "en"},
        foreign_keys=[("organisation_id", "organisations", "id")],
    )
    db["case_stories"].create_index(["status"])
    db["case_story_ideas"].create(
        {"story_id": int, "idea_id": int, "reason": str, "phase": str},
        pk=("story_id", "idea_id"),
        foreign_keys=[("story_id", "case_stories", "id"), ("idea_id", "ideas", "id")],
    )
    db["case_story_ideas"].create_index(["idea_id"])


@migrations()
def m003_campaign_tactics(db: Database) -> None:
    # Ideas planned as tactics of a campaign. The campaign id refers to the campaigns area's
    # table when it exists; no foreign key yet because that table is built in parallel.
    db["campaign_tactics"].create(
        {"campaign_id": int, "idea_id": int, "note": str, "added_by": int, "added_at": str},
        pk=("campaign_id", "idea_id"),
        foreign_keys=[("idea_id", "ideas", "id")],
    )
    db["campaign_tactics"].create_index(["idea_id"])


@migrations()
def m004_facet_lookup_by_idea(db: Database) -> None:
    # Facet counts over a set of matched ideas look rows up by idea: a covering index makes
    # that a pure index walk.
    db.execute("DROP INDEX IF EXISTS idx_idea_facets_idea_id")
    db["idea_facets"].create_index(["idea_id", "facet", "value"])


@migrations()
def m005_catalogue_generation(db: Database) -> None:
    # A counter bumped on every change to the search index: processes cache facet bitmaps
    # and rebuild them when it moves (the web app and a CLI import may run at once).
    db["catalogue_generation"].create({"id": int, "n": int}, pk="id")
    db["catalogue_generation"].insert({"id": 1, "n": 0})


@migrations()
def m006_campaign_tactics_foreign_key(db: Database) -> None:
    # The campaigns area has landed: campaign ids now refer to its table, and a deleted
    # campaign takes its planned tactics with it. Links to campaigns that never existed go.
    db.execute(
        """create table campaign_tactics_new (
            campaign_id integer not null references campaigns(id) on delete cascade,
            idea_id integer not null references ideas(id),
            note text, added_by integer, added_at text,
            primary key (campaign_id, idea_id)
        )""")
    db.execute(
        "insert into campaign_tactics_new (campaign_id, idea_id, note, added_by, added_at)"
        " select t.campaign_id, t.idea_id, t.note, t.added_by, t.added_at"
        " from campaign_tactics t where t.campaign_id in (select id from campaigns)")
    db.execute("drop table campaign_tactics")
    db.execute("alter table campaign_tactics_new rename to campaign_tactics")
    db["campaign_tactics"].create_index(["idea_id"])


@migrations()
def m007_story_history(db: Database) -> None:
    # Stories can be edited after submission: keep who changed what and when, and every
    # moderation note, as ideas do. Existing stories get their first known step.
    db["story_history"].create(
        {"id": int, "story_id": int, "at": str, "by": int, "action": str, "note": str,
         "fields": str},
        pk="id",
        foreign_keys=[("story_id", "case_stories", "id"), ("by", "users", "id")],
    )
    db["story_history"].create_index(["story_id", "at"])
    db.execute(
        "insert into story_history (story_id, at, by, action, note, fields)"
        " select id, created_at, created_by, 'proposed', '', '[]' from case_stories")
    db.execute(
        "insert into story_history (story_id, at, by, action, note, fields)"
        " select id, coalesce(published_at, updated_at), updated_by,"
        " case status when 'published' then 'published' else 'rejected' end,"
        " coalesce(review_note, ''), '[]' from case_stories"
        " where status = 'published' or (status = 'rejected' and review_note != '')")


@migrations()
def m008_translation_proposals(db: Database) -> None:
    # A translation of a published idea by anyone but a coordinator waits here for review,
    # as an edit's review copy does; accepting it writes idea_translations.
    db["idea_translation_proposals"].create(
        {"id": int, "idea_id": int, "language": str, "fields": str, "source": str,
         "proposed_by": int, "proposed_at": str},
        pk="id", foreign_keys=[("idea_id", "ideas", "id")],
    )
    db["idea_translation_proposals"].create_index(["idea_id", "language", "proposed_by"],
                                                  unique=True)


@migrations()
def m009_tactic_owner_date_status(db: Database) -> None:
    # A planned tactic is work someone does: the partner organisation that owns it, the day it
    # happens (or is due) and how far it is. Tactics planned before stay "planned", unowned.
    table = db["campaign_tactics"]
    table.add_column("owner_id", int, fk="organisations", fk_col="id")
    table.add_column("due_date", str)
    table.add_column("status", str, not_null_default="planned")


@migrations()
def m010_stemmed_search(db: Database) -> None:
    # Search understands words: a second full-text index holds every published idea's text as
    # Snowball stems in its own language (translations in theirs), accents folded, so "vigil"
    # finds "Vigils" and "greve" finds "Greves". ideas_fts keeps the words as written, for
    # snippets, and its vocabulary (ideas_fts_terms) suggests close words when nothing matches.
    columns = ", ".join(words.STEM_COLUMNS)
    db.execute(f"CREATE VIRTUAL TABLE ideas_fts_stems USING fts5({columns},"
               " tokenize = 'unicode61 remove_diacritics 2')")
    db.execute("CREATE VIRTUAL TABLE ideas_fts_terms USING fts5vocab(ideas_fts, 'row')")
    for idea in list(db.query(
            "select id, title, summary, body, tags, themes, language from ideas"
            " where id in (select rowid from ideas_fts)")):
        texts = db.query("select language, field, text from idea_translations"
                         " where idea_id = ?", [idea["id"]])
        db.execute(f"insert into ideas_fts_stems (rowid, {columns})"
                   " values (?, ?, ?, ?, ?, ?, ?, ?)", [idea["id"], *words.stem_row(idea, texts)])


@migrations()
def m011_browse_order_index(db: Database) -> None:
    # The catalogue's first page (no search words: most complete first, then by title) sorted
    # all 10,000 published ideas on every view; in this index's order, it reads twenty rows.
    # The expression is the one search.BROWSE_ORDER orders by, as SQLite needs it written.
    db.execute("CREATE INDEX idx_ideas_browse_order ON ideas("
               "(CASE completeness WHEN 'complete' THEN 0 WHEN 'partial' THEN 1 ELSE 2 END),"
               " title COLLATE NOCASE) WHERE status = 'published' AND revision_of IS NULL")


@migrations()
def m012_change_counter(db: Database) -> None:
    # Every table a page of search results shows (ideas, their translations, how often
    # campaigns use them, their case stories): a page of results is kept rendered until any
    # of them changes, whoever writes.
    add_change_counter(db, "catalogue_version",
                       ("ideas", "idea_translations", "campaign_tactics", "case_stories",
                        "case_story_ideas"))
