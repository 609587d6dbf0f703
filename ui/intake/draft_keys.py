"""The draft: the JSON object ``lapor-desk intake FILE.json`` takes (app.inputs.intake_from_mapping), plus
``attachments`` (a list of file paths). Field keys are the validation's names: ``title``, ``reporter.nik``."""

from __future__ import annotations

from typing import Any

ATTACHMENTS = "attachments"  # the one draft key that is not an intake field: files to attach once it is saved


def get_value(draft: dict[str, Any], key: str) -> Any:
    """The value of ``key`` ("reporter.nik": ``draft["reporter"]["nik"]``), or None."""
    head, _, rest = key.partition(".")
    if not rest:
        return draft.get(head)
    inner = draft.get(head)
    return inner.get(rest) if isinstance(inner, dict) else None


def set_value(draft: dict[str, Any], key: str, value: Any) -> None:
    head, _, rest = key.partition(".")
    if not rest:
        draft[head] = value
        return
    inner = draft.get(head)
    if not isinstance(inner, dict):
        inner = draft[head] = {}
    inner[rest] = value


def flatten(draft: dict[str, Any]) -> dict[str, Any]:
    """Every field key with its value (``reporter`` opened into ``reporter.name`` …)."""
    out: dict[str, Any] = {}
    for key, value in draft.items():
        if key == "reporter" and isinstance(value, dict):
            out.update({f"reporter.{k}": v for k, v in value.items()})
        else:
            out[key] = value
    return out


def intake_part(draft: dict[str, Any]) -> dict[str, Any]:
    """The draft without what is not an intake field (the shape intake_from_mapping takes)."""
    return {k: v for k, v in draft.items() if k != ATTACHMENTS}
