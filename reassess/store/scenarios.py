"""Saving, loading and sharing staffing scenarios (no Streamlit).

- A scenario's inputs are stored as JSON of the ``ScenarioInput`` fields in a small DuckDB file
  (``settings().scenario_db``, in the data folder, never in a snapshot). SQL lives in
  queries/store/*.sql and takes values only as parameters. Every read and write holds an
  exclusive lock on a file beside the database, so two sessions (threads or processes) saving
  at once take turns; a name is never overwritten unless the caller says ``overwrite=True``.
- The levers a planner moves, their widgets and links, are in ``reassess.store.scenario_links``
  (re-exported here).
- A scenario has an owner (``saved_by``): only the owner, or a commander giving a reason, may
  delete or replace it (``check_owner``); the page records each in the audit log.
"""

from __future__ import annotations

import fcntl
import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb

from reassess.model.scenarios import ScenarioInput
from reassess.snapshot.sql import sql_text
from reassess.store.scenario_links import (  # noqa: F401  (re-exported: the page reads them here)
    COUNT_KEY,
    GROUP_TITLES,
    LEVER_BY_KEY,
    LEVERS,
    SLOTS,
    START_HORIZON,
    TARGET,
    TARGET_HORIZON,
    Lever,
    LeverKind,
    clamp,
    date_bounds,
    export_stem,
    loaded_values,
    out_of_bounds,
    page_defaults,
    parse_lever,
    quoted,
    read_link,
    shown_defaults,
    slot_label,
    slot_overrides,
    slot_values,
    widget_key,
    widget_spec,
    write_link,
)

NAME_MAX = 60
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class StoreError(Exception):
    """A scenario could not be saved, loaded or deleted."""


class ScenarioExists(StoreError):
    """A scenario of that name is saved already and overwrite was not asked for."""


class ScenarioNotFound(StoreError):
    """No scenario of that name is saved."""


class NotPermitted(StoreError):
    """Only the scenario's owner, or a commander giving a reason, may delete or replace it."""


OVERRIDE_ROLE = "commander"
MIN_REASON = 10
"""A commander deleting or replacing someone else's scenario gives a reason this long."""


def check_owner(
    existing: SavedScenario, by: str, role: str, reason: str, what: str = "delete"
) -> str:
    """'' when ``by`` owns the scenario; the reason when a commander overrides; else refused."""
    if existing.saved_by == by:
        return ""
    owner = existing.saved_by or "no recorded owner"
    if role == OVERRIDE_ROLE and len(reason.strip()) >= MIN_REASON:
        return reason.strip()
    if role == OVERRIDE_ROLE:
        raise NotPermitted(
            f"{quoted(existing.name, NAME_MAX)} was saved by {quoted(owner, 60)}. To {what} "
            f"it as a commander, give a reason of at least {MIN_REASON} characters; it is "
            "recorded in the audit log."
        )
    raise NotPermitted(
        f"{quoted(existing.name, NAME_MAX)} was saved by {quoted(owner, 60)}: only they, or a "
        f"commander giving a reason, may {what} it. Save yours under another name."
    )


def store_sql(name: str) -> str:
    """The text of queries/store/<name>.sql."""
    return sql_text("store", name)


# --------------------------------------------------------------------------- scenario inputs as JSON

_DATE_FIELDS = {"start_date", "target_date", "investigators_from"}
_INT_FIELDS = {
    "extra_officers",
    "ramp_up_weeks",
    "isvas_in_post",
    "trials",
    "seed",
    "max_weeks",
    "extra_investigators",
    "extra_isvas",
}


def input_to_json(inp: ScenarioInput) -> dict[str, Any]:
    """Every field of a ScenarioInput as JSON-ready values (dates as ISO text)."""
    out: dict[str, Any] = {}
    for f in fields(ScenarioInput):
        value = getattr(inp, f.name)
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out


def input_from_json(data: Mapping[str, Any], defaults: ScenarioInput) -> ScenarioInput:
    """A ScenarioInput from JSON (fields missing from ``data`` keep ``defaults``).

    Raises ValueError naming the field and the value when one is unknown or malformed, and
    ScenarioInput's own message when a value is out of range.
    """
    known = {f.name for f in fields(ScenarioInput)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(
            f"unknown scenario field(s) {', '.join(map(repr, unknown))}; "
            f"the fields are {', '.join(sorted(known))}"
        )
    values: dict[str, Any] = {}
    for name, raw in data.items():
        values[name] = _field_from_json(name, raw)
    return replace(defaults, **values)


def _field_from_json(name: str, raw: Any) -> Any:
    def bad(expected: str) -> ValueError:
        return ValueError(f"scenario field {name!r} must be {expected}; got {raw!r}")

    if name == "name":
        if not isinstance(raw, str):
            raise bad("text")
        return raw
    if name == "investigators_from" and raw is None:
        return None
    if name in _DATE_FIELDS:
        try:
            return date.fromisoformat(str(raw))
        except ValueError:
            raise bad("a date written YYYY-MM-DD") from None
    if name == "isva_cases_per_adviser":
        if not isinstance(raw, list) or not all(_is_int(x) for x in raw):
            raise bad("a list of whole numbers")
        return tuple(int(x) for x in raw)
    if name in ("productivity_per_fte", "abstraction_rate") and raw is None:
        return None
    if name in _INT_FIELDS:
        if not _is_int(raw):
            raise bad("a whole number")
        return int(raw)
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
        raise bad("a number")
    return float(raw)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --------------------------------------------------------------------------- the store


@dataclass(frozen=True)
class SavedScenario:
    """One saved scenario: its name, inputs (JSON of ScenarioInput fields) and provenance.

    ``saved_by`` is its owner. After a save over an existing scenario, ``replaced_owner`` is
    the owner of the one replaced and ``override_reason`` the commander's reason, if any."""

    name: str
    inputs: dict[str, Any]
    as_of: date
    saved_at: datetime
    saved_by: str
    replaced_owner: str | None = None
    override_reason: str = ""

    def scenario(self, defaults: ScenarioInput) -> ScenarioInput:
        """The saved inputs as a ScenarioInput, named as saved."""
        return replace(input_from_json(self.inputs, defaults), name=self.name)


def check_name(name: str) -> str:
    """The name without surrounding spaces, if it is 1-60 characters with no control characters."""
    cleaned = name.strip() if isinstance(name, str) else ""
    if not cleaned:
        raise StoreError("A scenario needs a name: type 1 to 60 characters.")
    if len(cleaned) > NAME_MAX:
        raise StoreError(
            f"The scenario name is {len(cleaned)} characters long; shorten it to {NAME_MAX} or fewer."
        )
    if _CONTROL.search(cleaned):
        raise StoreError(
            "The scenario name contains a control character (such as a tab or new line)."
        )
    return cleaned


def _key(name: str) -> str:
    return check_name(name).casefold()


@contextmanager
def _open(path: Path, *, create: bool = True) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """An exclusive, locked connection to the store; None if it does not exist and create=False."""
    path = Path(path)
    if not create and not path.exists():
        yield None
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".lock")
    with lock_path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            try:
                con = duckdb.connect(str(path))
            except duckdb.Error as exc:
                raise StoreError(
                    f"The saved-scenarios file {path} could not be opened ({exc}). Move it aside "
                    "to start a new one; REASSESS_DATA_DIR sets the folder it lives in."
                ) from exc
            try:
                con.execute(store_sql("schema"))
                yield con
            finally:
                con.close()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _row(row: Sequence[Any]) -> SavedScenario:
    name, inputs, as_of, saved_at, saved_by = row
    return SavedScenario(name, json.loads(inputs), as_of, saved_at, saved_by)


def save(
    path: Path,
    name: str,
    inp: ScenarioInput,
    *,
    as_of: date,
    saved_by: str = "",
    overwrite: bool = False,
    role: str = "",
    reason: str = "",
) -> SavedScenario:
    """Save a scenario under ``name``; refuse a name already saved unless ``overwrite``, and
    then unless ``saved_by`` owns it or is a commander (``role``) giving a ``reason``."""
    cleaned = check_name(name)
    inputs = input_to_json(replace(inp, name=cleaned))
    saved_at = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    params: dict[str, Any] = {
        "name_key": cleaned.casefold(),
        "name": cleaned,
        "inputs": json.dumps(inputs, sort_keys=True),
        "as_of": as_of,
        "saved_at": saved_at,
        "saved_by": saved_by,
    }
    replaced: str | None = None
    why = ""
    with _open(path) as con:
        assert con is not None
        existing = con.execute(store_sql("get"), {"name_key": params["name_key"]}).fetchone()
        if existing is not None and not overwrite:
            raise ScenarioExists(
                f"A scenario called {quoted(existing[0], NAME_MAX)} is saved already; choose another name "
                "or tick 'Replace a saved scenario of the same name'."
            )
        if existing is not None:
            old = _row(existing)
            why = check_owner(old, saved_by, role, reason, "replace")
            replaced = old.saved_by
        con.execute(store_sql("replace" if overwrite else "insert"), params)
    return SavedScenario(cleaned, inputs, as_of, saved_at, saved_by, replaced, why)


def load(path: Path, name: str) -> SavedScenario:
    """The saved scenario called ``name`` (ignoring case)."""
    with _open(path, create=False) as con:
        row = (
            None
            if con is None
            else con.execute(store_sql("get"), {"name_key": _key(name)}).fetchone()
        )
    if row is None:
        raise ScenarioNotFound(
            f"There is no saved scenario called {quoted(name.strip(), NAME_MAX)}."
        )
    return _row(row)


def list_saved(path: Path) -> list[SavedScenario]:
    """Every saved scenario, in name order (none if the file does not exist yet).

    Read again only when the file changes (opening a DuckDB file takes tens of milliseconds,
    and the scenarios page lists the saved scenarios on every rerun).
    """
    try:
        st = Path(path).stat()
    except FileNotFoundError:
        return []
    return list(_list_cached(str(path), (st.st_ino, st.st_size, st.st_mtime_ns)))


@lru_cache(maxsize=8)
def _list_cached(path: str, stat_key: tuple[int, int, int]) -> tuple[SavedScenario, ...]:
    with _open(Path(path), create=False) as con:
        rows = [] if con is None else con.execute(store_sql("list")).fetchall()
    return tuple(_row(r) for r in rows)


def delete(path: Path, name: str, *, by: str = "", role: str = "", reason: str = "") -> str:
    """Delete the saved scenario called ``name``; returns the name as it was saved."""
    return delete_scenario(path, name, by=by, role=role, reason=reason).name


def delete_scenario(
    path: Path, name: str, *, by: str = "", role: str = "", reason: str = ""
) -> SavedScenario:
    """Delete the saved scenario called ``name`` if ``by`` owns it, or is a commander
    (``role``) giving a ``reason``; returns the scenario deleted (``override_reason`` set when
    a commander deleted someone else's). Checked and deleted under one lock."""
    missing = ScenarioNotFound(
        f"There is no saved scenario called {quoted(name.strip(), NAME_MAX)} to delete."
    )
    with _open(path, create=False) as con:
        if con is None:
            raise missing
        row = con.execute(store_sql("get"), {"name_key": _key(name)}).fetchone()
        if row is None:
            raise missing
        old = _row(row)
        why = check_owner(old, by, role, reason, "delete")
        con.execute(store_sql("delete"), {"name_key": _key(name)}).fetchone()
    return replace(old, override_reason=why)


__all__ = [
    "COUNT_KEY",
    "LEVERS",
    "SLOTS",
    "TARGET",
    "Lever",
    "SavedScenario",
    "ScenarioExists",
    "NotPermitted",
    "ScenarioNotFound",
    "StoreError",
    "check_name",
    "check_owner",
    "delete",
    "delete_scenario",
    "export_stem",
    "input_from_json",
    "input_to_json",
    "list_saved",
    "load",
    "loaded_values",
    "out_of_bounds",
    "page_defaults",
    "read_link",
    "save",
    "shown_defaults",
    "store_sql",
    "widget_spec",
    "write_link",
]
