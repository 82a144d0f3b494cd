"""Pages say every refusal in their own words, chosen by its code, never by the engine's English."""

from __future__ import annotations

import pytest
from flask import Flask

from engine.errors import ErrorCode, Reason
from web.error_texts import WebCode, code_texts, error_text, page_fields

CODES = [*ErrorCode, *WebCode]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_code_has_words_in_each_language(app: Flask, language: str) -> None:
    with app.test_request_context(f"/?lang={language}"):
        texts = code_texts()
        missing = [code for code in CODES if code not in texts]
        assert missing == []
    with app.test_request_context("/?lang=en"):
        english = code_texts()
    if language == "zh":
        untranslated = [code for code in CODES if texts[code] == english[code]]
        assert untranslated == []


def test_the_words_follow_the_code_not_the_message(app: Flask) -> None:
    with app.test_request_context("/?lang=zh"):
        reworded = error_text(ErrorCode.TASK_HELD, "somebody else has it now", 409)
        assert reworded == "该任务已被其他工作人员认领。"
        region = error_text(ErrorCode.REGION_OUTSIDE_OWN, "...", 403, {"region": "310000", "own": "110000"})
        assert region == "区划310000不在您所属的区划110000之内。"
        fields = page_fields(
            {
                "file": [Reason(ErrorCode.FILES_PER_CASE, "at most 20 files a case", count=20)],
                "amount": ["Must be greater than or equal to 1."],  # marshmallow's own words
                "other": ["a message nobody translated"],
            }
        )
        assert fields == {
            "file": ["每个办件最多20个文件。"],
            "amount": ["不得小于1。"],
            "other": ["请检查此项。"],
        }
    with app.test_request_context("/?lang=en"):
        assert error_text("some_code_of_tomorrow", "as written", 409) == "as written"
