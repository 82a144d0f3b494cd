"""Zip bundles are untrusted: a member is never inflated past the size cap, whatever it declares,
and a broken zip is one line of error, not a traceback."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.bundles import MAX_FILE_BYTES, read_bundle_zip
from engine.cli import main
from engine.errors import ProcessInvalid

GIB = 1 << 30


def _deflated_zeros(size: int) -> bytes:
    """`size` zero bytes as a raw deflate stream (about a thousandth of the size)."""
    squeezer = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(1 << 20)
    stream = [squeezer.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join(stream) + squeezer.flush()


def lying_zip(inflates_to: int, declares: int = 100) -> bytes:
    """A zip whose one member, process.bpmn, declares `declares` bytes and inflates to
    `inflates_to`: written stored, then its method and sizes rewritten in both headers."""
    stream = _deflated_zeros(inflates_to)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("process.bpmn", stream)
    data = bytearray(buffer.getvalue())
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    struct.pack_into("<H", data, local + 8, zipfile.ZIP_DEFLATED)
    struct.pack_into("<I", data, local + 22, declares)
    struct.pack_into("<H", data, central + 10, zipfile.ZIP_DEFLATED)
    struct.pack_into("<I", data, central + 24, declares)
    return bytes(data)


def test_a_member_that_inflates_to_a_gibibyte_is_stopped_at_the_cap() -> None:
    bomb = lying_zip(GIB)
    assert len(bomb) < 2 << 20
    tracemalloc.start()
    try:
        with pytest.raises(ProcessInvalid) as refused:
            read_bundle_zip(bomb, "bomb.zip")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    [problem] = refused.value.problems
    assert (problem.file, problem.element) == ("bomb.zip", "process.bpmn")
    assert peak < 4 * MAX_FILE_BYTES + len(bomb) * 2, f"peak {peak:,} bytes"


@pytest.mark.parametrize("declares", [MAX_FILE_BYTES, MAX_FILE_BYTES + 1])
def test_a_member_larger_than_it_says_or_than_the_cap_is_refused(declares: int) -> None:
    with pytest.raises(
        ProcessInvalid, match=r"big.zip \[process.bpmn\]: (not a valid zip member|file is larger)"
    ):
        read_bundle_zip(lying_zip(8 * MAX_FILE_BYTES, declares=declares), "big.zip")


def _corrupt_deflate() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("matter.yaml", "code: x\n" * 200)
    data = bytearray(buffer.getvalue())
    start = data.find(b"matter.yaml") + len("matter.yaml")
    data[start : start + 8] = b"\xff" * 8
    return bytes(data)


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04" + bytes(100), _corrupt_deflate(), b"not a zip at all"],
    ids=["truncated-member", "corrupt-deflate-stream", "garbage"],
)
def test_a_broken_zip_is_one_line_of_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.zip"
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["catalogue", "check", str(path)])
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "broken.zip" in lines[0], result.output


def test_catalogue_check_of_a_zip_bomb_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    path.write_bytes(lying_zip(GIB // 4))
    result = CliRunner().invoke(main, ["catalogue", "check", str(path)])
    assert result.exit_code == 1, result.output
    [line] = result.output.strip().splitlines()
    assert line.startswith("error:") and "process.bpmn" in line and "bomb.zip" in line
