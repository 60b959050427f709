"""The one loader of queries/: every SQL file, its includes expanded, headers checked.

queries/ holds the only SQL in the project, one statement per file:
- pages/    the figures pages, the CLI and exports read, run by the query runner
            (snapshot/runner.py); each declares purpose, grain, params, access and counts;
- shared/   common table expressions several queries pull in with `-- include: <name>`;
- ingest/, snapshot/, store/, rollup/   what ingest, the snapshot listing, the saved-scenario
            store and the national roll-up run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reassess.access import LEVELS

QUERY_DIR = Path(__file__).resolve().parents[2] / "queries"
PAGES = "pages"
"""queries/pages/: the queries the runner runs by name."""

PARAM_TYPES = {"date", "int", "float", "text", "bool", "text[]"}
HEADER_RE = re.compile(r"^--\s*(\w+):\s*(.*)$")
INCLUDE_RE = re.compile(r"^([ \t]*)--\s*include:\s*(\w+)(?:\s+with\s+(.*?))?\s*$", re.MULTILINE)
BINDING_RE = re.compile(r"^\$(\w+)\s*=\s*\$(\w+)$")
SHARED_DIR = "shared"
"""queries/shared/<name>.sql: SQL that several queries share (common table expressions, a
case expression), pulled into a query's body by a line `-- include: <name>`, so a definition is
written once. `-- include: <name> with $a = $b` renames the fragment's parameter $a to the
query's $b (e.g. the one "dimension" expression, used for $rows and for $cols)."""


class QueryError(Exception):
    """A query is unknown, malformed, or was called with the wrong parameters."""


@dataclass(frozen=True)
class Query:
    """One queries/<folder>/<name>.sql file and what its header declares."""

    name: str
    sql: str
    purpose: str
    grain: str
    params: dict[str, str]
    access: str
    counts: tuple[str, ...]
    compare: bool
    folder: str = PAGES

    @property
    def path(self) -> Path:
        return QUERY_DIR / self.folder / f"{self.name}.sql"

    @property
    def where(self) -> str:
        """The file as a person finds it: queries/<folder>/<name>.sql."""
        return f"queries/{self.folder}/{self.name}.sql"


def parse_query(name: str, text: str, *, folder: str = PAGES) -> Query:
    """Read the header comment of a query file; every query states purpose, grain, params, access."""
    meta: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        m = HEADER_RE.match(line)
        if m:
            meta[m.group(1).lower()] = m.group(2).strip()
    where = f"queries/{folder}/{name}.sql"
    for field in ("purpose", "grain", "params", "access"):
        if field not in meta:
            raise QueryError(f"{where}: the header has no '-- {field}:' line")
    access = meta["access"]
    if access not in LEVELS:
        raise QueryError(f"{where}: access {access!r} is not one of {', '.join(LEVELS)}")
    params: dict[str, str] = {}
    if meta["params"].lower() != "none":
        for part in meta["params"].split(","):
            bits = part.split()
            if len(bits) != 2 or not bits[0].startswith("$") or bits[1] not in PARAM_TYPES:
                raise QueryError(
                    f"{where}: params must read like '$as_of date, $bcu text'; got {part.strip()!r}"
                )
            params[bits[0][1:]] = bits[1]
    used = set(re.findall(r"\$(\w+)", _strip_comments(text)))
    if used != set(params):
        raise QueryError(
            f"{where}: the header declares {sorted(params)} but the SQL uses {sorted(used)}"
        )
    counts = tuple(c.strip() for c in meta.get("counts", "").split(",") if c.strip())
    compare = bool(re.search(r"\bcmp\.", _strip_comments(text)))
    return Query(
        name, text, meta["purpose"], meta["grain"], params, access, counts, compare, folder
    )


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


def expand_includes(name: str, text: str, root: Path = QUERY_DIR) -> str:
    """The query text with each body line `-- include: <shared>` replaced by
    queries/shared/<shared>.sql, so the header check sees every parameter the query uses.
    ``name`` is the file as "<folder>/<name>", for messages."""

    def shared(m: re.Match[str]) -> str:
        indent, fragment, bindings = m.group(1), m.group(2), m.group(3)
        path = root / SHARED_DIR / f"{fragment}.sql"
        try:
            body = path.read_text(encoding="utf-8").rstrip("\n")
        except FileNotFoundError:
            raise QueryError(
                f"queries/{name}.sql includes {fragment!r}, but there is no "
                f"queries/{SHARED_DIR}/{fragment}.sql"
            ) from None
        for binding in bindings.split(",") if bindings else []:
            bound = BINDING_RE.match(binding.strip())
            if bound is None:
                raise QueryError(
                    f"queries/{name}.sql: '-- include: {fragment} with {bindings}' must rename "
                    "parameters like '$dimension = $rows'"
                )
            old, new = bound.groups()
            if not re.search(rf"\${old}\b", body):
                raise QueryError(
                    f"queries/{name}.sql renames ${old}, but queries/{SHARED_DIR}/{fragment}.sql "
                    f"has no ${old}"
                )
            body = re.sub(rf"\${old}\b", f"${new}", body)
        return "\n".join(indent + line if line else line for line in body.splitlines())

    return INCLUDE_RE.sub(shared, text)


def load_queries(root: Path = QUERY_DIR, folder: str = PAGES) -> dict[str, Query]:
    """Every queries/<folder>/*.sql (the runner's: pages/), includes expanded, parsed."""
    return {
        p.stem: parse_query(
            p.stem,
            expand_includes(f"{folder}/{p.stem}", p.read_text(encoding="utf-8"), root),
            folder=folder,
        )
        for p in sorted((root / folder).glob("*.sql"))
    }


@cache
def sql_text(folder: str, name: str) -> str:
    """The text of queries/<folder>/<name>.sql, includes expanded (read once per process)."""
    path = QUERY_DIR / folder / f"{name}.sql"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QueryError(f"there is no queries/{folder}/{name}.sql") from None
    return expand_includes(f"{folder}/{name}", text)


def load_query(folder: str, name: str) -> Query:
    """queries/<folder>/<name>.sql parsed, its header checked."""
    return parse_query(name, sql_text(folder, name), folder=folder)
