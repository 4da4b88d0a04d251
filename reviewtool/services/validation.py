"""Turning pydantic's validation errors into the problems a person can act on."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from reviewtool.errors import Invalid

M = TypeVar("M", bound=BaseModel)


def _plain(err: dict[str, Any]) -> str:
    """Pydantic's message for one error, said the way a person would."""
    ctx, kind = err.get("ctx") or {}, err["type"]
    sentences = {
        "missing": "is required.",
        "extra_forbidden": "is not a known field.",
        "int_type": "should be a whole number.",
        "int_parsing": "should be a whole number.",
        "int_from_float": "should be a whole number.",
        "float_parsing": "should be a number.",
        "float_type": "should be a number.",
        "bool_type": "should be true or false.",
        "string_type": "should be text.",
        "list_type": "should be a list.",
        "model_type": "should be an object.",
        "dict_type": "should be an object.",
        "greater_than_equal": f"should be at least {ctx.get('ge')}.",
        "less_than_equal": f"should be at most {ctx.get('le')}.",
        "string_too_short": "is required.",
        "string_too_long": f"is too long: at most {ctx.get('max_length')} characters.",
        "too_long": f"has too many entries: at most {ctx.get('max_length')}.",
        "literal_error": f"should be one of {ctx.get('expected')}.",
    }
    return sentences.get(kind, err["msg"] + ".")


def pydantic_problems(exc: ValidationError) -> list[dict[str, str]]:
    """A pydantic error as our {field, message} problems, one per failing field."""
    problems = []
    for err in exc.errors(include_url=False):
        field = ".".join(str(p) for p in err["loc"])
        problems.append({"field": field, "message": f"{field} {_plain(err)}"})
    return problems


def parse(model: type[M], data: Any, *, what: str) -> M:
    """`data` validated as `model`, or Invalid listing every problem (`what` names the body)."""
    if not isinstance(data, dict):
        raise Invalid(f"Send {what} as a JSON object.")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Invalid(problems=pydantic_problems(exc)) from None
