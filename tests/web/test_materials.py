"""Uploading materials: checked by content, named safely, stored outside the web root."""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine import Engine
from engine.services import materials
from tests.web.conftest import apply_over_api, signed_in


def png() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0\0\0\0"))
        + chunk(b"IEND", b"")
    )


def upload(browser: FlaskClient, case_id: str, name: str, data: bytes) -> Any:
    return browser.post(
        f"/cases/{case_id}/materials",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_owner_uploads_and_the_region_can_download(app: Flask, case: dict[str, Any], people: Engine) -> None:
    owner = signed_in(app, "owner")
    picture = png()

    assert upload(owner, case["id"], "../../etc/工资记录\x07.PNG", picture).status_code == 302

    page = owner.get(f"/cases/{case['id']}").get_data(as_text=True)
    assert "工资记录.png" in page and "etc" not in page.split("materials-heading")[1][:400]
    link = page.split(f"/cases/{case['id']}/materials/")[1].split('"')[0]
    for who in ("owner", "acceptor"):
        download = signed_in(app, who).get(f"/cases/{case['id']}/materials/{link}")
        assert download.status_code == 200 and download.data == picture
        assert download.headers["Content-Disposition"].startswith("attachment")
        assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert signed_in(app, "neighbour").get(f"/cases/{case['id']}/materials/{link}").status_code == 404
    stored = list(people.settings.materials_root.rglob("*"))
    assert [p.name for p in stored if p.is_file()] == [f"{link}.png"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [  # in Chinese, the pages' default language
        ("contract.pdf", b"MZ\x90\x00 this is a program", "只接受PDF、JPEG和PNG文件"),
        ("empty.pdf", b"", "文件是空的"),
        ("huge.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "每个文件最大10 MiB"),
    ],
    ids=["disguised-program", "empty", "too-large"],
)
def test_bad_files_are_refused(
    app: Flask, case: dict[str, Any], people: Engine, name: str, data: bytes, message: str
) -> None:
    response = upload(signed_in(app, "owner"), case["id"], name, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert not any(p.is_file() for p in people.settings.materials_root.rglob("*"))


def test_only_the_owner_uploads(app: Flask, case: dict[str, Any], people: Engine) -> None:
    assert upload(signed_in(app, "acceptor"), case["id"], "x.png", png()).status_code == 404


def test_a_case_and_an_account_have_a_storage_quota(
    app: Flask, client: FlaskClient, case: dict[str, Any], people: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files count against their case's quota and against all the owner's cases together."""
    picture = png()
    monkeypatch.setattr(materials, "MAX_CASE_BYTES", 2 * len(picture))
    monkeypatch.setattr(materials, "MAX_ACCOUNT_BYTES", 3 * len(picture))
    owner = signed_in(app, "owner")
    assert upload(owner, case["id"], "one.png", picture).status_code == 302
    assert upload(owner, case["id"], "two.png", picture).status_code == 302

    full = upload(owner, case["id"], "three.png", picture)

    assert full.status_code == 422 and "每件申请的材料合计最多" in full.get_data(as_text=True)
    second = apply_over_api(client)["id"]
    assert upload(owner, second, "three.png", picture).status_code == 302
    over = upload(owner, second, "four.png", picture)
    assert over.status_code == 422 and "您名下所有申请的材料合计最多" in over.get_data(as_text=True)
    assert sum(p.is_file() for p in people.settings.materials_root.rglob("*")) == 3
