"""Hostile network imports, submitted through the page as a member would: each is refused
quickly with a message naming the limit (stated in docs/network-map.md), nothing is stored, and
the staged upload lives in a private folder that is removed after use."""

from __future__ import annotations

import stat
import time
from pathlib import Path

import pytest

from juntos.db import Database
from juntos.network_map.imports import Imports, upload_name
from juntos.network_map.interop import importer, limits
from tests.support import hostile_files
from tests.support.web import csrf_token, soup


def _upload(client, *files: tuple[str, bytes]):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/network/import")
    return client.post("/network/import", data={"csrf_token": token},
                       files=[("files", (name, data, "application/octet-stream"))
                              for name, data in files])


def _refused(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 400, response.text[:500]
    return " ".join(e.get_text(" ", strip=True) for e in soup(response).select(".error"))


def test_a_kumu_cell_of_a_thousand_names_is_refused_fast(db: Database, as_user) -> None:  # type: ignore[no-untyped-def]
    data = hostile_files.kumu_million_ties()
    assert len(data) < 12_000
    before = db["organisations"].count
    started = time.monotonic()
    message = _refused(_upload(as_user("member"), ("connections.csv", data)))
    assert time.monotonic() - started < 5
    assert "a cell holds 1,000 values separated by |; at most 100 are allowed" in message
    assert db["organisations"].count == before


def test_an_xlsx_zip_bomb_is_refused_before_it_is_read(db: Database, as_user) -> None:  # type: ignore[no-untyped-def]
    data = hostile_files.xlsx_bomb(uncompressed_mb=120)
    assert len(data) < 1_000_000
    message = _refused(_upload(as_user("member"), ("bomb.xlsx", data)))
    assert "would take more than 100 MB once uncompressed" in message


def test_a_gexf_of_200000_nodes_is_refused(db: Database, as_user) -> None:  # type: ignore[no-untyped-def]
    before = db["organisations"].count
    # 7.9 MB: under the upload cap (10 MB), over the actors' limit.
    response = _upload(as_user("member"), ("big.gexf", hostile_files.gexf_nodes()))
    assert "has more than 20,000 actors; an import holds at most 20,000" in _refused(response)
    assert db["organisations"].count == before


def test_deeply_nested_json_is_refused_not_a_500(db: Database, as_user) -> None:  # type: ignore[no-untyped-def]
    message = _refused(_upload(as_user("member"),
                               ("deep.json", hostile_files.json_nested(100_000))))
    assert "is nested more than 32 levels deep" in message
    message = _refused(_upload(as_user("member"), ("deep.json", hostile_files.json_nested(40))))
    assert "is nested more than 32 levels deep" in message


def test_a_csv_with_a_field_past_the_csv_modules_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "field.csv"
    path.write_bytes(b'Label\n"' + b"x" * 200_000 + b'"\n')
    with pytest.raises(importer.ValidationError) as refused:
        importer.read([path])
    assert "not a readable CSV" in refused.value.errors["file"]


def test_rows_actors_ties_and_file_size_have_limits(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_ROWS", 10)
    rows = tmp_path / "elements.csv"
    rows.write_text("Label\n" + "".join(f"A{i}\n" for i in range(11)))
    with pytest.raises(importer.ValidationError, match="has more than 10 rows"):
        importer.read([rows])
    monkeypatch.setattr(limits, "MAX_ROWS", 1000)
    monkeypatch.setattr(limits, "MAX_TIES", 5)
    ties = tmp_path / "connections.csv"
    ties.write_text("From,To\n" + "".join(f"A{i},A{i + 1}\n" for i in range(6)))
    with pytest.raises(importer.ValidationError, match="has more than 5 ties"):
        importer.read([ties])
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 10)
    with pytest.raises(importer.ValidationError, match="is larger than 0 MB"):
        importer.read([ties])


def test_a_real_sized_network_is_within_the_limits() -> None:
    assert limits.MAX_ACTORS >= 20_000 and limits.MAX_TIES >= 100_000


def test_the_limits_are_stated_in_the_docs() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "network-map.md").read_text()
    for value in (f"{limits.MAX_ACTORS:,}", f"{limits.MAX_TIES:,}", f"{limits.MAX_ROWS:,}",
                  str(limits.MAX_VALUES_PER_CELL), str(limits.MAX_JSON_DEPTH),
                  f"{limits.MAX_FILE_BYTES // 2**20} MB",
                  f"{limits.MAX_XLSX_UNCOMPRESSED // 2**20} MB", f"{int(limits.SECONDS)} seconds"):
        assert value in docs, value


@pytest.mark.parametrize("name, expected", [
    ("..", "upload"), (".", "upload"), ("../../etc/passwd", "passwd"),
    ("C:\\Users\\x\\net.gexf", "net.gexf"), (".hidden.csv", "hidden.csv"),
    ("a b?.csv", "a_b_.csv"), ("", "upload")])
def test_an_upload_name_keeps_only_a_safe_last_part(name: str, expected: str) -> None:
    assert upload_name(name, set()) == expected


def test_uploads_named_dot_dot_or_alike_are_staged_safely(as_user) -> None:  # type: ignore[no-untyped-def]
    response = _upload(as_user("member"), ("..", b"Label\nA\n"), ("../x/..", b"Label\nB\n"))
    assert response.status_code in (200, 400)


def test_staged_uploads_are_private_and_removed_after_use(db: Database, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("member")
    desk: Imports = client.app.state.network_imports
    preview = _upload(client, ("elements.csv", b"Label,Type\nStaged Org,cso\n"))
    assert preview.status_code == 200
    assert stat.S_IMODE(desk.folder.stat().st_mode) == 0o700
    values = {i["name"]: i.get("value", "")
              for i in soup(preview).select("form")[-1].select("input")}
    staged = desk.folder / values["token"]
    assert staged.is_dir() and stat.S_IMODE(staged.stat().st_mode) == 0o700
    done = client.post("/network/import", data=values)
    assert done.status_code == 200 and "Imported: 1 new, 0 matched" in done.text
    assert not staged.exists()


def test_unconfirmed_uploads_are_swept(tmp_path: Path) -> None:
    desk = Imports(tmp_path / "imports")
    old = desk.stage([("a.csv", b"Label\nA\n")])
    assert old.folder is not None and old.folder.exists()
    desk.sweep(now=time.time() + 7 * 3600)
    assert not old.folder.exists()


@pytest.mark.parametrize("body", [
    # billion laughs, external entity, in UTF-16 and in an exotic encoding: all still refused
    '<?xml version="1.0"?><!DOCTYPE g [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    '<gexf><graph><nodes><node id="&b;"/></nodes></graph></gexf>',
    '<?xml version="1.0"?><!DOCTYPE g [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    '<graphml><graph><node id="&x;"/></graph></graphml>'])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_entities_are_refused_whichever_parser_reads_the_file(tmp_path: Path, body: str,
                                                              encoding: str) -> None:
    path = tmp_path / ("net.gexf" if "gexf" in body else "net.graphml")
    text = body.replace('version="1.0"?>', f'version="1.0" encoding="{encoding}"?>')
    path.write_bytes(text.encode(encoding))
    with pytest.raises(importer.ValidationError) as refused:
        importer.read([path])
    message = str(refused.value)
    assert "refused" in message and "root:" not in message and "aaaaaaaaaaaa" not in message
