"""Word-level differences between two revisions: proposal text and risk model alike."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any

from reviewtool.models import Revision
from reviewtool.services.catalogues import Catalogues

WORD = re.compile(r"\S+")


def word_diff(old: str, new: str) -> list[dict[str, str]]:
    """The ops turning `old` into `new`, word by word: equal, delete or insert runs."""
    a, b = WORD.findall(old or ""), WORD.findall(new or "")
    ops: list[dict[str, str]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append({"op": "equal", "text": " ".join(a[i1:i2])})
            continue
        if tag in ("delete", "replace"):
            ops.append({"op": "delete", "text": " ".join(a[i1:i2])})
        if tag in ("insert", "replace"):
            ops.append({"op": "insert", "text": " ".join(b[j1:j2])})
    return ops


def sections(revision: Revision, cats: Catalogues) -> dict[str, str]:
    """The revision as named plain-text sections, the unit of comparison."""
    outcomes = "; ".join(f"{cats.label('outcomes', o['outcome'])}: {o.get('measure', '')}"
                         for o in revision.outcomes)
    needs = "; ".join(
        f"{cats.label('professions' if n['kind'] == 'profession' else 'skills', n['key'])} "
        f"({n.get('commitment', '')}, {n.get('hours_per_month') or '-'} h/month)"
        for n in revision.roles_needed)
    risks = [f"[{cats.label('risk_categories', r.category)}] {r.description} (likelihood "
             f"{r.likelihood}, severity {r.severity}; residual {r.residual_likelihood} x "
             f"{r.residual_severity}; safeguards: {r.mitigation or 'none'})"
             for r in sorted(revision.risks, key=lambda r: (r.category, r.position, r.id or 0))]
    risks += [f"[{cats.label('risk_categories', e.category)}] not applicable: {e.reason}"
              for e in sorted(revision.exclusions, key=lambda e: e.category)]
    safeguards = [f"[{cats.label('safeguard_types', s.type)}] {s.description} (responsible: "
                  f"{s.responsible or '-'}; addresses: "
                  f"{', '.join(cats.label('risk_categories', k) for k in s.addresses)}; "
                  f"residual {s.residual_likelihood} x {s.residual_severity})"
                  for s in sorted(revision.safeguards, key=lambda s: (s.position, s.id or 0))]
    return {
        "Title": revision.title, "Summary": revision.summary,
        "Project type": cats.label("project_types", revision.project_type),
        "Work groups": ", ".join(cats.label("work_groups", g) for g in revision.work_groups),
        "Activity": revision.activity or "", "Target outcomes": outcomes,
        "Roles needed": needs, "Location": revision.location, "Budget": revision.budget,
        "Timeline": revision.timeline, "Risk model": "\n".join(risks),
        "Safeguards": "\n".join(safeguards),
    }


def revision_diff(old: Revision, new: Revision, cats: Catalogues) -> dict[str, Any]:
    """Per section: whether it changed, and the word-level ops."""
    before, after = sections(old, cats), sections(new, cats)
    return {"from": old.number, "to": new.number,
            "sections": [{"section": name, "changed": before[name] != after[name],
                          "ops": word_diff(before[name], after[name])} for name in after]}


def changed_words(diff: dict[str, Any]) -> dict[str, list[str]]:
    """Every inserted and every removed word of a diff (what a reviewer must look at)."""
    inserted, removed = [], []
    for section in diff["sections"]:
        for op in section["ops"]:
            if op["op"] == "insert":
                inserted += op["text"].split()
            elif op["op"] == "delete":
                removed += op["text"].split()
    return {"inserted": inserted, "removed": removed}
