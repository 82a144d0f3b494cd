"""Choosing the page language: the lang parameter, the cookie it leaves, Accept-Language, Chinese."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import lxml.html
from flask import Flask
from flask.testing import FlaskClient

from engine import Engine
from tests.web.conftest import signed_in


def _language(response_text: str) -> str:
    return str(lxml.html.fromstring(response_text).get("lang"))


def _switch_arguments(browser: FlaskClient, path: str) -> dict[str, list[str]]:
    """The query of the page's language switch link."""
    page = lxml.html.fromstring(browser.get(path).get_data(as_text=True))
    [href] = page.xpath('//a[@class="lang"]/@href')
    return parse_qs(urlsplit(href).query)


def test_a_language_the_site_does_not_have_leaves_the_chosen_one(client: FlaskClient) -> None:
    client.get("/?lang=en")

    assert _language(client.get("/?lang=fr").get_data(as_text=True)) == "en"
    assert _language(client.get("/").get_data(as_text=True)) == "en"


def test_without_a_choice_accept_language_decides_then_chinese(client: FlaskClient) -> None:
    english = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"})
    unknown = client.get("/", headers={"Accept-Language": "fr"})

    assert _language(english.get_data(as_text=True)) == "en"
    assert _language(unknown.get_data(as_text=True)) == "zh-CN"


def test_a_page_in_a_negotiated_language_says_what_it_varies_on(client: FlaskClient) -> None:
    negotiated = client.get("/", headers={"Accept-Language": "en"})
    addressed = client.get("/?lang=en", headers={"Accept-Language": "en"})
    remembered = client.get("/", headers={"Accept-Language": "en"})  # the cookie lang=en now

    assert {"Accept-Language", "Cookie"} <= set(negotiated.vary)
    assert "Accept-Language" not in addressed.vary
    assert "Accept-Language" not in remembered.vary and "Cookie" in remembered.vary


def test_the_language_switch_keeps_the_search(client: FlaskClient) -> None:
    assert _switch_arguments(client, "/?q=补缴&lang=zh") == {"q": ["补缴"], "lang": ["en"]}


def test_the_language_switch_keeps_the_inbox_filters(app: Flask, people: Engine) -> None:
    browser = signed_in(app, "acceptor")
    chosen = "/workbench?matter=catchup-contribution&due_before=2026-12-01&available_page=1&lang=en"

    assert _switch_arguments(browser, chosen) == {
        "matter": ["catchup-contribution"],
        "due_before": ["2026-12-01"],
        "available_page": ["1"],
        "lang": ["zh"],
    }
