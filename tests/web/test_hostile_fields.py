"""Slugs that a page's address uses are refused (the list derived from the routes), and CSV
exports guard cells a spreadsheet would run as formulas."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from juntos import csvsafe, house
from juntos.campaigns import store as campaigns
from juntos.db import Database
from juntos.errors import Conflict, ValidationError
from juntos.network_map import store as network_store
from juntos.network_map.graph import network
from juntos.network_map.interop import exporter, importer
from juntos.organisations import store as orgs
from juntos.organisations.models import OrganisationInput
from tests.campaigns.conftest import make_campaign
from tests.support.clock import FrozenClock


def test_the_reserved_words_come_from_the_routes() -> None:
    assert {"new", "commitments"} <= house.route_words("/campaigns/")
    assert {"new", "duplicates", "merge"} <= house.route_words("/organisations/")
    assert "new" in house.route_words("/ideas/")
    assert "kits" not in house.route_words("/campaigns/")  # /campaigns/{slug}/kits: not here


@pytest.mark.parametrize("slug", sorted(house.route_words("/campaigns/")))
def test_a_campaign_slug_a_route_uses_is_refused(db: Database, clock: FrozenClock, users,
                                                 slug: str) -> None:
    with pytest.raises(ValidationError) as refused:
        make_campaign(db, clock, slug=slug)
    assert "already taken" in refused.value.errors["slug"]
    assert not campaigns.slug_taken(db, "autumn-" + slug)


@pytest.mark.parametrize("slug", sorted(house.route_words("/organisations/")))
def test_an_organisation_slug_a_route_uses_is_refused(db: Database, clock: FrozenClock,
                                                      slug: str) -> None:
    with pytest.raises(Conflict):
        orgs.create(db, OrganisationInput.validated(name="Some Org", slug=slug), now=clock())


def test_an_imported_actor_named_like_a_route_gets_another_slug(db: Database, tmp_path: Path,
                                                                clock: FrozenClock) -> None:
    path = tmp_path / "e.csv"
    path.write_text("Label\nNew\nMerge\n")
    importer.import_files(db, [path], now=clock())
    slugs = {o["slug"] for o in db.query("select slug from organisations")}
    assert {"new-2", "merge-2"} <= slugs and not {"new", "merge"} & slugs


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-2+3", "@SUM(A1)",
                                   "\tx", "\rx"])
def test_csv_cells_that_would_run_are_guarded(value: str) -> None:
    assert csvsafe.cell(value) == "'" + value
    assert csvsafe.unguard(csvsafe.cell(value)) == value
    assert csvsafe.cell("plain") == "plain" and csvsafe.cell(-3) == -3


def test_the_kumu_export_guards_formulas_and_the_import_reads_them_back(
        db: Database, tmp_path: Path, clock: FrozenClock) -> None:
    org = orgs.create(db, OrganisationInput.validated(
        name="=HYPERLINK(\"http://evil.example\",\"click\")", slug="evil",
        description="@cmd"), now=clock())
    network_store.set_actor_attributes(db, org["id"], {"note": "+1"})
    elements, _connections = exporter.kumu_csv(network(db), network_store.actor_attributes(db))
    row = next(r for r in csv.DictReader(io.StringIO(elements)) if r["ID"] == "evil")
    assert row["Label"].startswith("'=") and row["Description"] == "'@cmd"
    assert row["note"] == "'+1"
    (tmp_path / "e.csv").write_text(elements)
    empty = house.open_db(tmp_path / "empty.db")
    importer.import_files(empty, [tmp_path / "e.csv"], now=clock())
    back = next(iter(empty.query("select name, description from organisations")))
    assert back["name"].startswith("=HYPERLINK") and back["description"] == "@cmd"


def test_every_csv_writer_guards_its_cells() -> None:
    """No CSV writer in the package writes rows without ``csvsafe``."""
    root = Path(__file__).parents[2] / "juntos"
    for path in root.rglob("*.py"):
        text = path.read_text()
        for line in text.splitlines():
            if ".writerow(" in line or ".writerows(" in line:
                assert "csvsafe" in line or "writeheader" in line or "COLUMNS" in line, (
                    f"{path.relative_to(root)}: {line.strip()}")
