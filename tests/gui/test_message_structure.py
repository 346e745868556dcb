"""Messages stay data until they are shown: the GUI translates a Message by template look-up.

The engine's text used to be parsed back into templates with regular expressions: seconds for a
long message, and a user's value could change the parse. A Message (backend/core/message_text.py)
keeps its template and values, so translating it is a look-up, whatever its length.
"""

from __future__ import annotations

import pickle
import re
import time

import pytest

pytestmark = pytest.mark.timeout(60, method="thread")

CJK = re.compile(r"[\u4e00-\u9fff]")


def _slowest_ms(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)[len(times) // 2]  # the median: one hiccup of a shared machine is not the translation


def _state_dict_error() -> str:
    """The text torch gives for a load_state_dict with many wrong keys (about 5.6 KB)."""
    keys = ", ".join(f'"layers.{i}.block.conv.weight"' for i in range(180))
    return f"Error(s) in loading state_dict for Net:\n\tMissing key(s) in state_dict: {keys}."


def test_a_long_message_translates_by_look_up_in_milliseconds(zh_translator):
    from backend.core import messages
    from gui.backend_text import backend_tr

    error = _state_dict_error()
    assert len(error) > 5000
    inner = messages.TENSORBOARD_GRAPH.format(error=error)
    wrapped = messages.QUANT_FAILED.format(error=inner)
    for message in (inner, wrapped):
        shown = backend_tr(message)
        assert CJK.search(shown) and error in shown  # translated, and the library's text kept whole
        assert _slowest_ms(lambda m=message: backend_tr(m)) < 5


def test_long_plain_text_from_disk_is_not_parsed():
    from gui.backend_text import backend_tr

    text = "x and 2 more; " * 300  # 4,200 characters that match no template
    assert backend_tr(text) == text
    assert _slowest_ms(lambda: backend_tr(text)) < 5


def test_values_are_never_altered(zh_translator):
    from backend.core import messages
    from gui.backend_text import backend_tr

    path = "/w/best and 2 more"  # a weights path that reads like a template's own text
    shown = backend_tr(messages.WEIGHTS_LOADED.format(loaded=3, path=path))
    assert path in shown and CJK.search(shown)
    fill = messages.CSV_FILLED_WITH_MEAN.format(column="age", count=1, fill=41.123456)
    assert "'age'" in backend_tr(fill) and "41.12" in backend_tr(fill)  # the template's !r and .4g still apply


def test_joined_messages_keep_their_pieces(zh_translator):
    from backend.core import messages
    from backend.core.message_text import Message
    from gui.backend_text import backend_tr

    joined = messages.WEIGHTS_LOADED.format(loaded=1, path="/w.pth") + messages.WEIGHTS_NEW_HEAD
    assert isinstance(joined, Message) and joined.pieces and str(joined).endswith(str(messages.WEIGHTS_NEW_HEAD))
    shown = backend_tr(joined)
    assert "/w.pth" in shown and not re.search(r"initialisation|loaded", shown)


def test_a_message_survives_pickling_json_and_errors():
    import json

    from backend.core import messages
    from backend.core.errors import ConfigError
    from backend.core.message_text import Message

    message = messages.ERR_NOT_POSITIVE.format(path="optim.lr", value=-1.0)
    again = pickle.loads(pickle.dumps(message))
    assert isinstance(again, Message) and again.template.name == "ERR_NOT_POSITIVE" and again.fields["value"] == -1.0
    assert json.loads(json.dumps({"message": message})) == {"message": "optim.lr must be > 0, got -1.0"}
    error = ConfigError(message, field="optim.lr")
    assert error.message is message and error.field == "optim.lr" and str(error) == str(message)


def test_a_queued_signal_of_type_object_keeps_the_message(qtbot):
    from PySide6.QtCore import QObject, Signal, Slot

    from backend.core import messages
    from backend.core.message_text import Message

    class Sender(QObject):
        sig_failed = Signal(object)

    class Receiver(QObject):
        received: list = []

        @Slot(object)
        def on_failed(self, failure: object) -> None:
            self.received.append(failure)

    sender, receiver = Sender(), Receiver()
    sender.sig_failed.connect(receiver.on_failed)
    sender.sig_failed.emit({"message": messages.ERR_NOT_POSITIVE.format(path="optim.lr", value=0)})
    assert isinstance(receiver.received[-1]["message"], Message)


def test_a_field_label_in_a_message_is_translated_but_values_are_not(zh_translator):
    from backend.core.config import RunConfig, unusual_values
    from gui.backend_text import backend_tr

    config = RunConfig()
    config.optim.lr = 5.0
    (unusual,) = unusual_values(config)
    shown = backend_tr(unusual.message())
    assert "学习率" in shown and "optim.lr" in shown and "Learning rate" not in shown
