"""Messages that stay data until they are shown.

The templates of backend/core/messages.py are ``Template`` strings: English text that knows its
own name. ``Template.format(**fields)`` returns a ``Message``: the English text (a ``str``, so the
CLI prints it and metrics.jsonl stores it as it always did) that also keeps its template and the
values it was filled with. The GUI translates a Message by looking its template up and filling
the translated template with the same values, untouched (gui/backend_text.py); it never has to
parse the text back. Messages written one after another (``a + b``, ``join_messages``) keep
their pieces. A fixed phrase from a registry (a field's label) passed as a value is a ``phrase``,
so the GUI translates it too, while every other value (a path, a number, a name) stays as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class Template(str):
    """Fixed engine text (``str.format`` syntax) that knows its name in backend/core/messages.py."""

    name: str

    def __new__(cls, text: str, name: str = "") -> Template:
        template = super().__new__(cls, text)
        template.name = name
        return template

    def format(self, *args: Any, **fields: Any) -> Message:
        return Message(str.format(self, *args, **fields), self, fields)

    def __add__(self, other: str) -> str:
        return join_messages((self, other)) if isinstance(other, str) else NotImplemented

    def __radd__(self, other: str) -> str:
        return join_messages((other, self)) if isinstance(other, str) else NotImplemented

    def __reduce__(self) -> tuple[Any, ...]:
        return Template, (str(self), self.name)


def phrase(text: str) -> Template:
    """A fixed phrase of a registry (a label, a choice's title) used as a message value: translated when shown."""
    return text if isinstance(text, Template) else Template(text)


class Message(str):
    """The English text of a filled template, with the template and its values, or the pieces it joins."""

    template: Template | None
    fields: dict[str, Any]
    pieces: tuple[str, ...]

    def __new__(
        cls,
        text: str,
        template: Template | None = None,
        fields: dict[str, Any] | None = None,
        pieces: tuple[str, ...] = (),
    ) -> Message:
        message = super().__new__(cls, text)
        message.template, message.fields, message.pieces = template, dict(fields or {}), tuple(pieces)
        return message

    def __add__(self, other: str) -> str:
        return join_messages((self, other)) if isinstance(other, str) else NotImplemented

    def __radd__(self, other: str) -> str:
        return join_messages((other, self)) if isinstance(other, str) else NotImplemented

    def __reduce__(self) -> tuple[Any, ...]:
        return Message, (str(self), self.template, self.fields, self.pieces)


def join_messages(pieces: Iterable[str]) -> Message:
    """Texts written one after another, as one Message that keeps each piece (nested joins flattened)."""
    flat: list[str] = []
    for piece in pieces:
        if isinstance(piece, Message) and piece.template is None:
            flat.extend(piece.pieces)
        elif piece:
            flat.append(piece)
    return Message("".join(flat), pieces=tuple(flat))


def make_templates(namespace: dict[str, Any]) -> None:
    """Turn every upper-case string constant of a module's namespace into a Template of that name."""
    for name, value in list(namespace.items()):
        if name.isupper() and isinstance(value, str) and not isinstance(value, Template):
            namespace[name] = Template(value, name)
