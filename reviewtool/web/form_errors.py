"""One helper for every form: the services' problems ({field, message}) put next to the
controls they are about, and said once more in the summary at the top of the page.

A problem's field is the service's path ("criteria.2.target"); `lists` maps a service list to
the form's repeating rows (and, for each item the form sent, the index of its row), so the
message lands on the row the person typed in. Pydantic's generic sentences ("is required.")
are said in the form's own words through `plain`; the service's own sentences are kept."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wtforms import Field, Form, HiddenField
from wtforms.fields import FieldList

# Pydantic's sentences for a control left empty or holding something that is not a choice.
GENERIC = ("is required.", "should be a whole number.", "List should have at least",
           "should be one of", "should be text.", "should be true or false.")


def _control(form: Form, path: str, lists: Mapping[str, tuple[FieldList, Sequence[int]]],
             aliases: Mapping[str, str]) -> Field | None:
    parts = path.split(".") if path else []
    if not parts:
        return None
    if parts[0] in lists:
        if len(parts) < 3 or not parts[1].isdigit():
            return None
        rows, indexes = lists[parts[0]]
        index = int(parts[1])
        if index >= len(indexes):
            return None
        control = rows[indexes[index]].form._fields.get(aliases.get(parts[2], parts[2]))
    else:
        control = form._fields.get(aliases.get(parts[0], parts[0]))
    return None if control is None or isinstance(control, HiddenField) else control


def _without_path(message: str, path: str) -> tuple[str, str]:
    """`message` without the path (or its leading part: "risks.2: ...") it starts with, and
    how it went on: ":" before a sentence of its own, " " before a predicate ("is required.")
    whose subject was the path."""
    parts = path.split(".") if path else []
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        for sep in (":", " "):
            if message.startswith(prefix + sep):
                return message[len(prefix) + 1:].strip(), sep
    return message, ""


def _choice_labels(control: Field) -> list[str]:
    choices = getattr(control, "choices", None) or []
    if isinstance(choices, dict):  # option groups
        choices = [pair for group in choices.values() for pair in group]
    return [str(label) for value, label, *_ in choices if value not in ("", None)]


def _say_choices(labels: list[str]) -> str:
    listed = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"
    return f"Choose one of {listed}."


class Problem(str):
    """A summary sentence, and the id of the control it is about: the summary links to it."""

    anchor: str | None

    def __new__(cls, text: str, anchor: str | None = None) -> Problem:
        problem = super().__new__(cls, text)
        problem.anchor = anchor
        return problem


def inline_text(message: str, path: str, leaf: str, plain: Mapping[str, str],
                control: Field | None = None) -> str:
    """The sentence shown beside the control: the message without its path, or the form's own
    words for pydantic's generic ones (`plain` maps a field name, or a whole message)."""
    if message in plain:
        return plain[message]
    rest, sep = _without_path(message, path)
    if leaf in plain and rest.startswith(GENERIC):
        return plain[leaf]
    if (rest.startswith("should be one of") or "is not one of the" in rest) \
            and control is not None and _choice_labels(control):
        return _say_choices(_choice_labels(control))  # the labels the person sees, not keys
    if sep == " " and control is not None:  # "description is too long" → "Description is …"
        return f"{control.label.text.split(': ')[-1]} {rest}"
    return rest[:1].upper() + rest[1:]


def summary_text(label: str, text: str) -> str:
    """How the summary names a problem: "Label: text", without saying the label twice when
    the text already starts with it ("Risk 2: Description is too long ...")."""
    short = label.split(": ")[-1]
    if not text.startswith(short):
        return f"{label}: {text}"
    prefix = label[:-len(short)].rstrip(": ")
    return f"{prefix}: {text}" if prefix else text


def attach(form: Form, problems: Sequence[Mapping[str, Any]], *,
           lists: Mapping[str, tuple[FieldList, Sequence[int]]] | None = None,
           aliases: Mapping[str, str] | None = None,
           plain: Mapping[str, str] | None = None) -> list[str]:
    """Put each problem next to its control; return every problem as a summary sentence
    ("Label: message"; a problem about no control keeps its own words)."""
    summary = []
    for problem in problems:
        path, message = problem.get("field", ""), problem["message"]
        control = _control(form, path, lists or {}, aliases or {})
        if control is None:
            summary.append(message)
            continue
        text = inline_text(message, path, path.split(".")[-1], plain or {}, control)
        control.errors = [*control.errors, text]
        summary.append(Problem(summary_text(control.label.text, text), control.id))
    return summary


def form_problems(form: Form) -> list[str]:
    """The form's own validation errors (WTForms) as summary sentences."""
    return [Problem(f"{form[name].label.text}: {error}", form[name].id)
            for name, errors in form.errors.items() if not isinstance(errors, dict)
            for error in errors]
