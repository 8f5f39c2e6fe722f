"""Merging a duplicate organisation into the one that stays, across every area, in one go.

Every area refers to organisations, and areas are added without telling this module, so the
references are discovered from the schema (``PRAGMA foreign_key_list`` of every table) rather
than listed here. For each referring row of the dropped organisation:

- a row that would point at the survivor twice (a tie or a membership between the two
  duplicates, a "not a duplicate" mark) is deleted: it says nothing once they are one;
- a row that would collide with the survivor's own row on a unique key (both partners of the
  same campaign, both members of the same network) is reconciled: the survivor's row stays, its
  empty fields are filled from the duplicate's, JSON objects are joined, and the duplicate's row
  is deleted. Bookkeeping columns (``*_at``, ``*_by``, ``since``) keep the survivor's value.
  When both rows hold different values in another column, something would be lost: the merge
  is refused, naming the table, the rows and the columns, and nothing changes, unless the
  person chose ``survivor_wins`` (the survivor's values stay; the duplicate's row is deleted
  and kept, as it was, in the merge history);
- any other row is re-pointed at the survivor.

Deleted rows are kept, as they were, in the merge history. Writes go through plain UPDATE and
DELETE statements, so the areas' triggers (change counters that invalidate the network graph
and calendar feeds) fire as for any other edit. All of it runs in one transaction: a refusal
or an error leaves the database as it was. ``dry_run`` runs the same steps and rolls back.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from juntos.clock import iso
from juntos.db import Database
from juntos.errors import Conflict, ValidationError
from juntos.organisations import names
from juntos.organisations.store import LIST_FIELDS, get_by_id, inserted_id

#: Fields of the organisation a person may choose between when the two differ.
CHOOSABLE = ("name", "acronym", "kind", "country", "region", "city", "timezone", "website",
             "description", "is_public")
_BOOKKEEPING = re.compile(r"(_at|_by|^since)$")


class MergeConflict(Conflict):
    """A merge that would lose information, with the rows at fault."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("Cannot merge: " + "; ".join(problems))


@dataclass(frozen=True)
class Reference:
    """A column of ``table`` holding an organisation's ``target`` (its id or slug)."""

    table: str
    column: str
    target: str


@dataclass
class MergeResult:
    kept: dict[str, Any]
    dropped: dict[str, Any]
    changes: dict[str, list[Any]] = field(default_factory=dict)
    repointed: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    removed: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    dry_run: bool = False
    history_id: int | None = None

    def counts(self) -> dict[str, int]:
        """Rows re-pointed or removed per table."""
        out: dict[str, int] = {}
        for table, columns in self.repointed.items():
            out[table] = out.get(table, 0) + sum(len(keys) for keys in columns.values())
        for table, rows in self.removed.items():
            out[table] = out.get(table, 0) + len(rows)
        return out


class _DryRun(Exception):
    def __init__(self, result: MergeResult) -> None:
        self.result = result


def references(db: Database) -> list[Reference]:
    """Every column of every table that refers to ``organisations``, found in the schema."""
    found: list[Reference] = []
    for table in db.table_names():
        for fk in db.execute(f"PRAGMA foreign_key_list([{table}])").fetchall():
            if fk[2] == "organisations":
                found.append(Reference(table, fk[3], fk[4] or "id"))
    return found


def field_conflicts(kept: dict[str, Any], dropped: dict[str, Any]) -> list[str]:
    """Fields where both organisations hold a value and the values differ."""
    out = []
    for name in CHOOSABLE:
        a, b = kept.get(name), dropped.get(name)
        if name == "is_public":
            if bool(a) != bool(b):
                out.append(name)
        elif a not in (None, "") and b not in (None, "") and a != b:
            out.append(name)
    return out


def merged_fields(kept: dict[str, Any], dropped: dict[str, Any],
                  choose: dict[str, str] | None = None) -> dict[str, Any]:
    """The survivor's fields after the merge: its own, blanks filled from the duplicate, a
    field taken from the duplicate where ``choose[field] == "drop"``, lists joined."""
    choose = choose or {}
    unknown = {k for k, v in choose.items() if k not in CHOOSABLE or v not in ("keep", "drop")}
    if unknown:
        raise ValidationError({f: "Choose 'keep' or 'drop'." for f in sorted(unknown)})
    values: dict[str, Any] = {}
    for name in CHOOSABLE:
        a, b = kept.get(name), dropped.get(name)
        if choose.get(name) == "drop" or (a in (None, "") and name != "is_public"):
            values[name] = b
        else:
            values[name] = a
    for name in LIST_FIELDS:
        values[name] = list(dict.fromkeys([*(kept.get(name) or []), *(dropped.get(name) or [])]))
    return values


def merge(db: Database, keep_id: int, drop_id: int, *, now: datetime, by: int | None = None,
          by_name: str = "", choose: dict[str, str] | None = None,
          survivor_wins: bool = False, dry_run: bool = False) -> MergeResult:
    """Merge organisation ``drop_id`` into ``keep_id``: all or nothing (see the module)."""
    if keep_id == drop_id:
        raise ValidationError({"drop": "Choose two different organisations."})
    kept, dropped = get_by_id(db, keep_id), get_by_id(db, drop_id)
    values = merged_fields(kept, dropped, choose)
    try:
        with db.atomic():
            result = _merge(db, kept, dropped, values, now=now, by=by, by_name=by_name,
                            survivor_wins=survivor_wins)
            if dry_run:
                result.dry_run = True
                raise _DryRun(result)
    except _DryRun as rolled_back:
        return rolled_back.result
    return result


def _merge(db: Database, kept: dict[str, Any], dropped: dict[str, Any], values: dict[str, Any],
           *, now: datetime, by: int | None, by_name: str,
           survivor_wins: bool = False) -> MergeResult:
    result = MergeResult(kept=kept, dropped=dropped)
    problems: list[str] = []
    refs = references(db)
    by_table: dict[str, list[Reference]] = {}
    for ref in refs:
        by_table.setdefault(ref.table, []).append(ref)
    for table, table_refs in by_table.items():
        if len(table_refs) > 1:
            _remove_self_references(db, table, table_refs, kept, dropped, result)
    for ref in refs:
        problems += _repoint(db, ref, kept[ref.target], dropped[ref.target], result,
                             survivor_wins=survivor_wins)
    if problems:
        raise MergeConflict(problems)
    _finish(db, kept, dropped, values, now=now, by=by, by_name=by_name, result=result)
    return result


def _key_columns(db: Database, table: str) -> list[str]:
    pks = db[table].pks
    return pks if pks != ["rowid"] else ["rowid"]


def _select(db: Database, table: str, where: str, params: list[Any]) -> list[dict[str, Any]]:
    keys = _key_columns(db, table)
    extra = ", rowid as rowid" if keys == ["rowid"] else ""
    return [dict(r) for r in db.query(f"select *{extra} from [{table}] where {where}", params)]


def _row_key(db: Database, table: str, row: dict[str, Any]) -> Any:
    keys = _key_columns(db, table)
    return row[keys[0]] if len(keys) == 1 else [row[k] for k in keys]


def _label(db: Database, table: str, row: dict[str, Any]) -> str:
    """A row named by its key columns, e.g. "(member_id=263, network_id=1)"."""
    return "(" + ", ".join(f"{k}={row[k]}" for k in _key_columns(db, table)) + ")"


def _where_key(db: Database, table: str, row: dict[str, Any]) -> tuple[str, list[Any]]:
    keys = _key_columns(db, table)
    return " and ".join(f"[{k}] = ?" for k in keys), [row[k] for k in keys]


def _delete(db: Database, table: str, row: dict[str, Any], result: MergeResult) -> None:
    where, params = _where_key(db, table, row)
    db.execute(f"delete from [{table}] where {where}", params)
    result.removed.setdefault(table, []).append(dict(row))


def _remove_self_references(db: Database, table: str, refs: list[Reference],
                            kept: dict[str, Any], dropped: dict[str, Any],
                            result: MergeResult) -> None:
    """Delete rows that would name the survivor in two of their organisation columns."""
    for i, first in enumerate(refs):
        for second in refs[i + 1:]:
            pair = [kept[first.target], dropped[first.target]]
            pair2 = [kept[second.target], dropped[second.target]]
            rows = _select(
                db, table,
                f"[{first.column}] in (?, ?) and [{second.column}] in (?, ?)"
                f" and ([{first.column}] = ? or [{second.column}] = ?)",
                [*pair, *pair2, dropped[first.target], dropped[second.target]])
            for row in rows:
                _delete(db, table, row, result)


def _unique_indexes(db: Database, table: str, column: str) -> list[tuple[list[str], str]]:
    """Unique indexes (the primary key included) of ``table`` that contain ``column``, as
    (columns, partial WHERE clause or "")."""
    out = []
    for idx in db.execute(f"PRAGMA index_list([{table}])").fetchall():
        if not idx[2]:
            continue
        columns = [r[2] for r in db.execute(f"PRAGMA index_info([{idx[1]}])").fetchall()]
        if column not in columns:
            continue
        partial = ""
        if idx[4]:
            sql = db.execute("select sql from sqlite_master where name = ?", [idx[1]]).fetchone()
            match = re.search(r"\bwhere\b(.*)$", sql[0] or "", re.IGNORECASE | re.DOTALL)
            partial = match.group(1).strip() if match else ""
        out.append((columns, partial))
    pks = db[table].pks
    if pks != ["rowid"] and column in pks and not any(c == pks for c, _ in out):
        out.append((pks, ""))
    return out


def _blank(value: Any) -> bool:
    return value is None or value == ""


def _reconcile(survivor: dict[str, Any], duplicate: dict[str, Any], skip: set[str]
               ) -> tuple[dict[str, Any], list[str]]:
    """What to write into the survivor's row so the duplicate's adds what it knows, and the
    columns where the two disagree."""
    fills: dict[str, Any] = {}
    clashes: list[str] = []
    for col, theirs in duplicate.items():
        ours = survivor.get(col)
        if col in skip or col == "rowid" or _blank(theirs) or theirs == ours:
            continue
        if _blank(ours):
            fills[col] = theirs
        elif _BOOKKEEPING.search(col):
            continue
        else:
            joined = _join_json(ours, theirs)
            if joined is None:
                clashes.append(col)
            elif joined != ours:
                fills[col] = joined
    return fills, clashes


def _join_json(ours: Any, theirs: Any) -> str | None:
    """Two JSON objects joined when no key holds two different values, else None."""
    try:
        a, b = json.loads(ours), json.loads(theirs)
    except (TypeError, ValueError):
        return None
    if not isinstance(a, dict) or not isinstance(b, dict):
        return None
    if any(k in a and a[k] != v for k, v in b.items()):
        return None
    return json.dumps(a | b, ensure_ascii=False)


def _referenced(db: Database, table: str, row: dict[str, Any]) -> list[str]:
    """Tables whose foreign keys point at this row (it cannot simply be deleted then)."""
    out = []
    for other in db.table_names():
        for fk in db.execute(f"PRAGMA foreign_key_list([{other}])").fetchall():
            if fk[2] != table:
                continue
            target = fk[4] or _key_columns(db, table)[0]
            if target in row and list(db.query(
                    f"select 1 from [{other}] where [{fk[3]}] = ? limit 1", [row[target]])):
                out.append(other)
    return out


def _repoint(db: Database, ref: Reference, new: Any, old: Any, result: MergeResult, *,
             survivor_wins: bool = False) -> list[str]:
    """Point ``ref``'s rows at the survivor; a row that would collide with the survivor's own
    is reconciled into it (see the module). Returns the problems that refuse the merge."""
    table, column = ref.table, ref.column
    rows = _select(db, table, f"[{column}] = ?", [old])
    if not rows:
        return []
    problems: list[str] = []
    moved = result.repointed.setdefault(table, {}).setdefault(column, [])
    indexes = _unique_indexes(db, table, column)
    if not indexes:
        db.execute(f"update [{table}] set [{column}] = ? where [{column}] = ?", [new, old])
        moved.extend(_row_key(db, table, row) for row in rows)
        return problems
    for row in rows:
        collision = _collision(db, table, column, row, new, indexes)
        if collision is None:
            key_where, key_params = _where_key(db, table, row)
            db.execute(f"update [{table}] set [{column}] = ? where {key_where}", [new, *key_params])
            moved.append(_row_key(db, table, row))
            continue
        survivor, skip = collision
        problem = _absorb(db, table, row, survivor, skip, result, survivor_wins=survivor_wins)
        if problem:
            problems.append(problem)
    if not moved:
        del result.repointed[table][column]
        if not result.repointed[table]:
            del result.repointed[table]
    return problems


def _collision(db: Database, table: str, column: str, row: dict[str, Any], new: Any,
               indexes: list[tuple[list[str], str]]) -> tuple[dict[str, Any], set[str]] | None:
    """The survivor's row that ``row``, re-pointed at ``new``, would collide with on a unique
    index, and the columns not to reconcile (that index's and the key); ``None`` if none."""
    for columns, partial in indexes:
        others = [c for c in columns if c != column]
        if any(row.get(c) is None for c in others):
            continue  # NULLs never collide in a unique index
        where = " and ".join([f"[{column}] = ?", *(f"[{c}] = ?" for c in others)])
        if partial:
            if not _in_partial_index(db, table, row, partial):
                continue
            where += f" and ({partial})"
        found = _select(db, table, where, [new, *(row[c] for c in others)])
        if found:
            return found[0], set(columns) | set(_key_columns(db, table))
    return None


def _in_partial_index(db: Database, table: str, row: dict[str, Any], partial: str) -> bool:
    key_where, key_params = _where_key(db, table, row)
    return bool(list(db.query(f"select 1 from [{table}] where {key_where} and ({partial})",
                              key_params)))


def _absorb(db: Database, table: str, row: dict[str, Any], survivor: dict[str, Any],
            skip: set[str], result: MergeResult, *, survivor_wins: bool) -> str | None:
    """Fill the survivor's row from the duplicate's and delete the duplicate's; or say why
    not (they disagree, or other rows still refer to the duplicate's)."""
    fills, clashes = _reconcile(survivor, row, skip)
    held_by = _referenced(db, table, row)
    if clashes and not survivor_wins:
        return (f"{table}: row {_label(db, table, row)} of the duplicate and row "
                f"{_label(db, table, survivor)} of the survivor differ in "
                f"{', '.join(clashes)}; make them agree (or delete one), then merge again")
    if held_by:
        return (f"{table}: row {_label(db, table, row)} of the duplicate is referred to by "
                f"{', '.join(sorted(set(held_by)))}")
    if fills:
        s_where, s_params = _where_key(db, table, survivor)
        sets = ", ".join(f"[{c}] = ?" for c in fills)
        db.execute(f"update [{table}] set {sets} where {s_where}", [*fills.values(), *s_params])
    _delete(db, table, row, result)
    return None


def _finish(db: Database, kept: dict[str, Any], dropped: dict[str, Any], values: dict[str, Any],
            *, now: datetime, by: int | None, by_name: str, result: MergeResult) -> None:
    """Delete the duplicate, update the survivor, keep the old names, write the history."""
    db.execute("delete from organisations where id = ?", [dropped["id"]])
    row = {k: v for k, v in values.items()}
    for name in LIST_FIELDS:
        row[name] = json.dumps(values[name], ensure_ascii=False)
    row["is_public"] = int(bool(values["is_public"]))
    result.changes = {k: [kept.get(k), values[k]] for k in values if kept.get(k) != values[k]}
    db["organisations"].update(kept["id"], row | {"updated_at": iso(now), "updated_by": by})
    own = {names.fold(values["name"] or ""), names.fold(values["acronym"] or "")}
    own_acronym = names.acronym_key(values["acronym"] or "")
    for old_name in (dropped["name"], dropped["acronym"], kept["name"], kept["acronym"]):
        # "ACCAO CIDADA" or "A.C.M." say nothing that "Acção Cidadã" (ACM) does not.
        if old_name and names.fold(old_name) not in own and (
                not own_acronym or names.acronym_key(old_name) != own_acronym):
            names.add_alias(db, kept["id"], old_name, now=now)
    names.add_alias(db, kept["id"], dropped["slug"], now=now, kind="slug")
    db.execute(  # an alias that is now the survivor's own name or acronym says nothing
        "delete from organisation_aliases where org_id = ? and kind = 'name'"
        " and normalised in (?, ?)",
        [kept["id"], names.fold(values["name"] or ""), names.fold(values["acronym"] or "")])
    result.kept = get_by_id(db, kept["id"])
    result.history_id = inserted_id(db["organisation_merges"].insert({
        "kept_id": kept["id"],
        "dropped_id": dropped["id"],
        "dropped_slug": dropped["slug"],
        "dropped_name": dropped["name"],
        "dropped_row": json.dumps(dropped, ensure_ascii=False, default=str),
        "repointed": json.dumps(result.repointed, ensure_ascii=False, default=str),
        "removed": json.dumps(result.removed, ensure_ascii=False, default=str),
        "changes": json.dumps(result.changes, ensure_ascii=False, default=str),
        "merged_at": iso(now),
        "merged_by": by,
        "merged_by_name": by_name,
    }))


def history(db: Database, org_id: int) -> list[dict[str, Any]]:
    """Merges into this organisation, newest first, with their JSON decoded."""
    out = []
    for row in db.query("select * from organisation_merges where kept_id = ?"
                        " order by merged_at desc, id desc", [org_id]):
        for key in ("dropped_row", "repointed", "removed", "changes"):
            row[key] = json.loads(row[key] or "{}")
        row["counts"] = MergeResult(kept={}, dropped={}, repointed=row["repointed"],
                                    removed=row["removed"]).counts()
        out.append(row)
    return out


def reference_counts(db: Database, org: dict[str, Any]) -> dict[str, int]:
    """Rows referring to this organisation, per table (what a merge would move)."""
    out: dict[str, int] = {}
    for ref in references(db):
        n = db.execute(f"select count(*) from [{ref.table}] where [{ref.column}] = ?",
                       [org[ref.target]]).fetchone()[0]
        if n:
            out[ref.table] = out.get(ref.table, 0) + n
    return out
