"""Writing validated records: upsert by key, association rows, rules, ties and capacities.

Every function takes the ``Importer`` (session, key -> id maps, report, progress) and a list of
records of one kind. Inserts and updates go per chunk; an existing record is updated only where
a value differs, so a re-import of the same files changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select, tuple_, update

from netwerk.db import utcnow
from netwerk.history import as_text
from netwerk.interchange.sql import chunks, in_, insert_many
from netwerk.models import (
    Area,
    AreaKind,
    Capacity,
    Change,
    Domain,
    EligibilityRule,
    Organisation,
    RecordReport,
    ReportResolution,
    RuleKind,
    Tie,
    professional_areas,
    professional_domains,
    service_areas,
    service_domains,
)

if TYPE_CHECKING:
    from netwerk.interchange.importer import Importer

Writer = Callable[["Importer", list[dict]], None]


def values(record: dict) -> dict:
    """The columns of a record (without the ``_`` fields the writer resolves)."""
    return {k: v for k, v in record.items() if not k.startswith("_")}


def upsert(imp: Importer, kind: str, records: list[dict]) -> None:
    """Insert new records; update existing ones only where a value differs.
    ``_on_create`` holds values written for a new record only (left alone afterwards)."""
    model, key_column = imp.entities[kind]
    ids = imp.ids[kind]
    new = [r for r in records if r["_key"] not in ids]
    old = [r for r in records if r["_key"] in ids]
    keyname = key_column.key
    table = model.__table__
    for r in new:
        r["_created"] = True  # links() records no history for a new record
    for chunk in chunks(new, 5000):
        rows = [{**values(r), **r.get("_on_create", {}), keyname: r["_key"]} for r in chunk]
        for key, pk in insert_many(imp.session, table, rows, returning=(keyname, "id")):
            ids[key] = pk
        imp.progress(len(chunk))
    changed_count = 0
    for chunk in chunks(old, 2000):
        wanted_rows = {ids[r["_key"]]: values(r) for r in chunk}
        columns = sorted({c for v in wanted_rows.values() for c in v})
        current = imp.session.execute(
            select(model.id, *(getattr(model, c) for c in columns))
            .where(in_(imp.session, model.id, list(wanted_rows)))
        )
        changed = []
        history: list[tuple[int, str, object, object]] = []
        for row in current:
            wanted = wanted_rows[row.id]
            if any(row._mapping[c] != v for c, v in wanted.items()):
                changed.append({**wanted, "id": row.id})
                if kind in HISTORY_KINDS and imp.history:
                    history += [(row.id, c, row._mapping[c], v) for c, v in wanted.items()
                                if row._mapping[c] != v]
        if changed:
            imp.session.execute(update(model), changed)
        if history:
            record_history(imp, kind, history)
        changed_count += len(changed)
        imp.progress(len(chunk))
    report = imp.report
    report.updated[kind] = report.updated.get(kind, 0) + changed_count
    report.unchanged[kind] = report.unchanged.get(kind, 0) + len(old) - changed_count


def write_rows(imp: Importer, model, kind: str, new: list[dict], old: list[dict],
               seen: int) -> None:
    """Insert the ``new`` rows and update the ``old`` ones (each with its ``id``) in chunks,
    count them in the report and advance the progress by the ``seen`` records."""
    for chunk in chunks(new, 2000):
        imp.session.execute(insert(model).returning(model.id), chunk)
    for chunk in chunks(old, 2000):
        imp.session.execute(update(model), chunk)
    imp.report.created[kind] = len(new)
    imp.report.updated[kind] = len(old)
    imp.progress(seen)


# -- the change history of an import (netwerk/history.py) -------------------------------------
# Existing people and organisations: each changed field is one row of ``changes``, written in
# the notation of a beheer edit (netwerk/accounts/editing.py: numbers the Dutch way, lists of
# keys), and the record's open "klopt niet" reports are closed as edited. New records are not
# listed field by field (a first import of a whole region would write millions of rows).
HISTORY_KINDS = {"professionals": "professionals", "organisations": "organisations"}
PHONE_COLUMNS = {"mobile", "landline", "phone", "crisis_phone"}
HISTORY_FIELD = {"organisation_id": "organisation_key", "_areas": "wijken",
                 "_domains": "domains"}


def _history_text(imp: Importer, column: str, value) -> str | None:
    from netwerk.phone import display

    if column in PHONE_COLUMNS:
        return display(value) if value else ""
    if value is None:
        return ""
    if column == "organisation_id":
        return imp.session.scalar(select(Organisation.external_id)
                                  .where(Organisation.id == value)) or str(value)
    return as_text(value)


def record_history(imp: Importer, kind: str,
                   changes: Sequence[tuple[int, str, object, object]]) -> None:
    """Write one ``changes`` row per (id, column, old, new) and close open reports."""
    now, user_id = utcnow(), getattr(imp.user, "id", None)
    rows = []
    for object_id, column, old, new in changes:
        old_text, new_text = _history_text(imp, column, old), _history_text(imp, column, new)
        if old_text != new_text:
            rows.append({"at": now, "user_id": user_id, "object_type": HISTORY_KINDS[kind],
                         "object_id": object_id, "field": HISTORY_FIELD.get(column, column),
                         "old": old_text, "new": new_text})
    for chunk in chunks(rows, 2000):
        imp.session.execute(insert(Change), chunk)
    reported = RecordReport.professional_id if kind == "professionals" \
        else RecordReport.organisation_id
    for chunk in chunks(sorted({r["object_id"] for r in rows})):
        imp.session.execute(
            update(RecordReport).where(in_(imp.session, reported, chunk),
                                       RecordReport.resolved_at.is_(None))
            .values(resolved_at=now, resolved_by_id=user_id,
                    resolution=ReportResolution.AANGEPAST)
            .execution_options(synchronize_session=False))


def _keys_text(imp: Importer, target: str, ids: set[int], known: dict[int, str]) -> str:
    """``ids`` of areas or domains as their sorted keys (``known``: id -> key, filled here)."""
    missing = sorted(i for i in ids if i not in known)
    if missing:
        model, column = ((Area, Area.external_id) if target == "areas"
                         else (Domain, Domain.slug))
        for pk, key in imp.session.execute(select(model.id, column)
                                           .where(in_(imp.session, model.id, missing))):
            known[pk] = key or str(pk)
    return ";".join(sorted(known.get(i, str(i)) for i in ids))


def links(imp: Importer, kind: str, records: list[dict], table, owner_column: str,
          field_name: str, column: str, target: str) -> None:
    """Make the association rows of the given owners (areas, domains) match the file."""
    ids, targets, session = imp.ids[kind], imp.ids[target], imp.session
    for chunk in chunks(records, 2000):
        wanted = {ids[r["_key"]]: {targets[k] for k in r[field_name]} for r in chunk}
        existing: dict[int, set[int]] = {owner: set() for owner in wanted}
        for owner, target_id in session.execute(
            select(table.c[owner_column], table.c[column])
            .where(in_(session, table.c[owner_column], list(wanted)))
        ):
            existing[owner].add(target_id)
        if kind in HISTORY_KINDS and imp.history:
            known = {pk: key for key, pk in targets.items()}
            created = {ids[r["_key"]] for r in chunk if r.get("_created")}
            history = [(owner, field_name, _keys_text(imp, target, have, known),
                        _keys_text(imp, target, wanted[owner], known))
                       for owner, have in existing.items()
                       if owner not in created and have != wanted[owner]]
            if history:
                record_history(imp, kind, history)
        stale = [owner for owner, have in existing.items() if have and have != wanted[owner]]
        if stale:
            session.execute(delete(table).where(in_(session, table.c[owner_column], stale)))
        rows = [{owner_column: owner, column: target_id}
                for owner, want in wanted.items() if want != existing[owner]
                for target_id in sorted(want)]
        insert_many(session, table, rows)


def rules(imp: Importer, records: list[dict]) -> None:
    services, session = imp.ids["services"], imp.session
    service_ids = sorted({services[r["_service"]] for r in records})
    existing: dict[tuple, int] = {}
    for chunk in chunks(service_ids):
        for rule in session.execute(
            select(EligibilityRule.id, EligibilityRule.service_id, EligibilityRule.kind,
                   EligibilityRule.value, EligibilityRule.int_value)
            .where(in_(session, EligibilityRule.service_id, chunk))
        ):
            existing[(rule.service_id, RuleKind(rule.kind), rule.value, rule.int_value)] = rule.id
    new, old = [], []
    for r in records:
        row = values(r) | {"service_id": services[r["_service"]]}
        natural = (row["service_id"], r["kind"], r["value"], r["int_value"])
        if natural in existing:
            old.append({"id": existing[natural], "description": r["description"]})
        else:
            existing[natural] = -1
            new.append(row)
    write_rows(imp, EligibilityRule, "eligibility_rules", new, old, len(records))


def ties(imp: Importer, records: list[dict]) -> None:
    people, session = imp.ids["professionals"], imp.session
    sessions = imp.ids.get("work_sessions", {})
    pairs = {}
    for r in records:
        a_id, b_id = Tie.ordered(people[r["_a"]], people[r["_b"]])
        pairs[(a_id, b_id)] = values(r) | {"a_id": a_id, "b_id": b_id}
        if "_session" in r:
            pairs[(a_id, b_id)]["work_session_id"] = sessions.get(r["_session"])
    existing: dict[tuple[int, int], int] = {}
    for chunk in chunks(list(pairs)):
        for tie_id, a_id, b_id in session.execute(
            select(Tie.id, Tie.a_id, Tie.b_id).where(tuple_(Tie.a_id, Tie.b_id).in_(chunk))
        ):
            existing[(a_id, b_id)] = tie_id
    new = [v for k, v in pairs.items() if k not in existing]
    old = [v | {"id": existing[k]} for k, v in pairs.items() if k in existing]
    write_rows(imp, Tie, "ties", new, old, len(records))


def capacities(imp: Importer, records: list[dict]) -> None:
    """New capacities are created; existing ones get the file's counts (a new version), unless
    the importer keeps live counts (the seed: what demo users entered stays)."""
    now, session = utcnow(), imp.session
    existing: dict[tuple[int, int, int], tuple[int, int]] = {}
    triples = {}
    for r in records:
        triple = (imp.ids["services"][r["_service"]], imp.ids["areas"][r["_area"]],
                  imp.ids["capacity_types"][r["_type"]])
        triples[triple] = r
    for chunk in chunks(list(triples)):
        for cap_id, s, a, t, version in session.execute(
            select(Capacity.id, Capacity.service_id, Capacity.area_id,
                   Capacity.capacity_type_id, Capacity.version)
            .where(tuple_(Capacity.service_id, Capacity.area_id,
                          Capacity.capacity_type_id).in_(chunk))
        ):
            existing[(s, a, t)] = (cap_id, version)
    new, old = [], []
    for (s, a, t), r in triples.items():
        counts = {"available": r["available"], "maximum": r["maximum"],
                  "updated_at": now - timedelta(hours=r.get("_hours_ago") or 0)}
        if (s, a, t) in existing:
            cap_id, version = existing[(s, a, t)]
            if not imp.keep_live:
                old.append(counts | {"id": cap_id, "version": version + 1})
        else:
            new.append(counts | {"service_id": s, "area_id": a, "capacity_type_id": t})
    write_rows(imp, Capacity, "capacities", new, old, len(records))


# -- one writer per kind, in the order they are written ------------------------------------------
def write_areas(imp: Importer, records: list[dict]) -> None:
    """Regions first, then gemeenten, then wijken: each level needs its parents' ids."""
    level = {AreaKind.REGIO: 0, AreaKind.GEMEENTE: 1, AreaKind.WIJK: 2}
    for depth in (0, 1, 2):
        batch = [r for r in records if level[r["kind"]] == depth]
        for r in batch:
            r["parent_id"] = imp.ids["areas"].get(r["_parent"]) if r["_parent"] else None
        upsert(imp, "areas", batch)


def write_services(imp: Importer, records: list[dict]) -> None:
    for r in records:
        r["organisation_id"] = imp.ids["organisations"][r["_org"]]
    upsert(imp, "services", records)
    links(imp, "services", records, service_areas, "service_id", "_areas", "area_id", "areas")
    links(imp, "services", records, service_domains, "service_id", "_domains", "domain_id",
          "domains")


def write_professionals(imp: Importer, records: list[dict]) -> None:
    now = utcnow()
    for r in records:
        r["organisation_id"] = imp.ids["organisations"][r["_org"]]
        if "_verified_days_ago" in r:
            r["_on_create"] = {"verified_at": now - timedelta(days=r["_verified_days_ago"] or 0)}
    upsert(imp, "professionals", records)
    links(imp, "professionals", records, professional_areas, "professional_id", "_areas",
          "area_id", "areas")
    links(imp, "professionals", records, professional_domains, "professional_id", "_domains",
          "domain_id", "domains")


def _plain(kind: str) -> Writer:
    return lambda imp, records: upsert(imp, kind, records)


ORDER = ("areas", "domains", "organisations", "services", "eligibility_rules", "capacity_types",
         "professionals", "ties", "capacities")
WRITERS: dict[str, Writer] = {
    "areas": write_areas, "domains": _plain("domains"),
    "organisations": _plain("organisations"), "services": write_services,
    "eligibility_rules": rules, "capacity_types": _plain("capacity_types"),
    "professionals": write_professionals, "ties": ties, "capacities": capacities,
}
