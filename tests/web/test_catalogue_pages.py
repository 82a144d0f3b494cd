"""The catalogue (grouped by category, searched by code, name or category in either language) and
a matter's service guide, in words rather than codes, in both languages."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from engine import Engine
from tests.web.conftest import open_page


def _groups(page: Any) -> dict[str, list[str]]:
    """Each category's heading and the names of the matters listed under it."""
    return {
        section.xpath("string(h2)"): [" ".join(a.text_content().split()) for a in section.xpath(".//a")]
        for section in page.xpath('//section[@class="category"]')
    }


def test_the_catalogue_is_grouped_by_category_in_the_page_language(
    client: FlaskClient, loaded: Engine
) -> None:
    assert _groups(open_page(client, "/?lang=en")) == {
        "Contribution declaration and back-payment": ["Contribution catch-up"],
        "Enrolment data maintenance": ["Personal basic information change"],
    }
    assert _groups(open_page(client, "/?lang=zh")) == {
        "社会保险缴费申报与补缴": ["补缴社会保险费"],
        "社会保险参保信息维护": ["个人基本信息变更"],
    }


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("catchup", ["Contribution catch-up"]),  # the code
        ("CATCH-UP", ["Contribution catch-up"]),  # the English name, in any case
        ("补缴", ["Contribution catch-up"]),  # the Chinese name, found from the English page
        ("enrolment", ["Personal basic information change"]),  # only the English category
        ("参保信息", ["Personal basic information change"]),  # only the Chinese category
        ("back-payment", ["Contribution catch-up"]),
        ("社会保险", ["Contribution catch-up", "Personal basic information change"]),
        ("pension", []),
    ],
)
def test_search_finds_matters_by_code_name_or_category(
    client: FlaskClient, loaded: Engine, query: str, found: list[str]
) -> None:
    page = open_page(client, f"/?lang=en&q={query}")

    assert sorted(name for names in _groups(page).values() for name in names) == found
    assert (not found) == ("No matter matches your search." in page.text_content())


@pytest.mark.parametrize(
    ("language", "channels"),
    [
        ("en", "Online service hall, Mobile app, Service counter"),
        ("zh", "网上服务大厅、手机App、服务窗口"),
    ],
)
def test_the_guide_names_its_channels(
    client: FlaskClient, loaded: Engine, language: str, channels: str
) -> None:
    page = open_page(client, f"/matters/catchup-contribution?lang={language}")

    assert " ".join(page.xpath('string(//*[@data-testid="channels"])').split()) == channels
    assert "mobile_app" not in page.text_content()
