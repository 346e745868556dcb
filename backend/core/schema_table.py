"""The table of config keys, made from the option schema: ``torchdesk-cli keys`` prints it and the
README holds it between ``<!-- keys:start -->`` and ``<!-- keys:end -->`` (a test keeps them equal)."""

from __future__ import annotations

from backend.core.schema import IS_SET, OPTIONS, Option

README_START = "<!-- keys:start -->"
README_END = "<!-- keys:end -->"


def _bound(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def allowed(option: Option) -> str:
    """What a value may be: its choices, or its range (``(0, 1)``, ``>= 0``, ``[0, 1024]``)."""
    if option.choices:
        return ", ".join(option.choices)
    for key, by_value in option.choices_by.items():
        return "; ".join(f"{', '.join(names)} ({key} = {value})" for value, names in by_value.items())
    low, high = option.low, option.high
    if low is None and high is None:
        return ""
    if high is None:
        return f"{'>' if option.low_open else '>='} {_bound(low)}"
    left = "(" if option.low_open else "["
    right = ")" if option.high_open else "]"
    return f"{left}{_bound(low)}, {_bound(high)}{right}"


def applies_when(option: Option) -> str:
    return "; ".join(
        f"{key} is set" if values == IS_SET else f"{key} in {', '.join(str(v).lower() for v in values)}"
        for key, values in option.when.items()
    )


def keys_markdown() -> str:
    """One Markdown table row per config key: key, default, allowed values, when it applies, meaning."""
    rows = [
        "| Key | Default | Allowed | Applies when | Meaning |",
        "| --- | --- | --- | --- | --- |",
    ]
    for option in OPTIONS:
        default = repr(option.default).replace("'", '"').replace("True", "true").replace("False", "false")
        cells = (f"`{option.key}`", f"`{default}`", allowed(option), applies_when(option), option.help)
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(rows) + "\n"
