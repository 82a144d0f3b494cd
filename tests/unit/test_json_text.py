"""The JSON text of states and columns: compact, ordered, and never refusing what Python can say."""

from __future__ import annotations

import json

from engine import json_text


def test_the_text_is_compact_keeps_key_order_and_chinese_as_written() -> None:
    value = {"z": 1, "姓名": "张三", "a": [1.5, None, True]}
    assert json_text.dumps(value) == '{"z":1,"姓名":"张三","a":[1.5,null,true]}'
    assert json_text.loads(json_text.dumps(value)) == value


def test_integers_beyond_64_bits_and_number_keys_are_written_too() -> None:
    assert json.loads(json_text.dumps({"big": 2**70})) == {"big": 2**70}
    assert json_text.loads(json_text.dumps({1: "one"})) == {"1": "one"}
