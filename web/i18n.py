"""Languages: Chinese (zh-CN) by default, English on request.

The language follows the `lang` query parameter (remembered in a cookie), then the cookie,
then Accept-Language, then Chinese (API.md, "Pages"); a language the site does not have is
ignored wherever it is asked for. Page text goes through Flask-Babel's gettext catalogs
(web/translations); matter names, guides and form labels carry both languages in the
catalogue itself and are picked with the `bi` filter.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, Response, current_app, g, request
from flask_babel import Babel, get_locale

from web.headers import cookies_secure

LANGUAGES = ("zh", "en")
DEFAULT = "zh"
COOKIE = "lang"

babel = Babel()
log = logging.getLogger(__name__)


def select_language() -> str:
    """The page's language; what it was read from is noted for `_vary` (shared caches must not
    give one person's language to another)."""
    if request.args.get("lang") in LANGUAGES:
        return str(request.args["lang"])
    g.language_varies_on = ["Cookie"]
    if request.cookies.get(COOKIE) in LANGUAGES:
        return str(request.cookies[COOKIE])
    g.language_varies_on.append("Accept-Language")
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None and locale.language in LANGUAGES else DEFAULT


def bilingual(value: Mapping[str, Any] | str | None) -> str:
    """The current language's text of a {zh, en} value (Chinese when English is missing)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return str(value.get(current_language()) or value.get(DEFAULT) or "")


def html_language() -> str:
    return "zh-CN" if current_language() == "zh" else "en"


def language_switch_url(language: str) -> str:
    """This page in `language`: a relative address keeping every other query parameter (a
    search, the inbox's filters, a page number), so switching loses nothing chosen."""
    arguments = request.args.copy()
    arguments["lang"] = language
    return "?" + urlencode(list(arguments.items(multi=True)))


def compile_catalogs(folder: Path) -> None:
    """Compile each messages.po whose .mo is missing or older, so every way of starting the
    app (make run, gunicorn, the tests) serves current translations; .mo files stay out of git."""
    for source in folder.glob("*/LC_MESSAGES/messages.po"):
        target = source.with_suffix(".mo")
        if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            continue
        try:
            with source.open("rb") as po:
                catalog = read_po(po)
            with target.open("wb") as mo:
                write_mo(mo, catalog)
        except OSError:
            log.warning("cannot write %s; pages stay in English where untranslated", target)


def register(app: Flask) -> None:
    compile_catalogs(Path(app.root_path) / "translations")
    babel.init_app(app, locale_selector=select_language, default_translation_directories="translations")
    app.jinja_env.filters["bi"] = bilingual
    app.jinja_env.globals.update(
        current_language=current_language,
        html_language=html_language,
        language_switch_url=language_switch_url,
    )
    app.after_request(_remember_language)
    app.after_request(_vary)


def _remember_language(response: Response) -> Response:
    asked = request.args.get("lang")
    if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
        secure = cookies_secure(current_app.config["MATTERFLOW_SECURE_COOKIES"], request)
        response.set_cookie(
            COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax", httponly=True, secure=secure
        )
    return response


def _vary(response: Response) -> Response:
    """A response in a language chosen from the cookie or Accept-Language says so in Vary."""
    for header in g.get("language_varies_on", ()):
        response.vary.add(header)
    return response
