"""A matter bundle: matter.yaml, BPMN, DMN and form-js files, read from a folder or a zip.

Bundles come from the repository's processes/ and forms/ folders, from `catalogue deploy`, and
from uploads; all are untrusted input, so sizes are bounded and nothing is executed here.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from marshmallow import RAISE, Schema, ValidationError, fields, validate

from engine.bpmn import (
    ElementInfo,
    ParsedProcess,
    ProcessSources,
    XmlRejected,
    compile_process,
    decode_xml,
    elements_of,
)
from engine.bpmn.calls import shared_files_called
from engine.errors import Problem, ProcessInvalid
from engine.forms import MAX_FORM_DEPTH, check_form

MANIFEST = "matter.yaml"
SHARED = "_shared"  # processes/_shared/: sub-processes many matters call
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_BUNDLE_BYTES = 16 * 1024 * 1024
MAX_FILES = 200
TOO_LARGE = "the bundle is too large"
CODE_PATTERN = r"^[a-z][a-z0-9-]{1,62}[a-z0-9]$"
DIAGRAM_SUFFIXES = (".bpmn", ".bpmn20.xml")
FORM_SUFFIXES = (".form.json", ".form")


@dataclass(frozen=True)
class MatterBundle:
    """The validated-on-read content of one matter version."""

    origin: str
    manifest: Mapping[str, Any]
    process: ProcessSources
    forms: Mapping[str, Mapping[str, Any]]
    sha256: str

    @property
    def code(self) -> str:
        return str(self.manifest["code"])


class _Bilingual(Schema):
    zh = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    en = fields.String(required=True, validate=validate.Length(min=1, max=4000))


class _Guide(Schema):
    eligibility = fields.Nested(_Bilingual, required=True)
    materials = fields.List(fields.Nested(_Bilingual), required=True)
    legal_basis = fields.Nested(_Bilingual, required=True)
    fees = fields.Nested(_Bilingual, required=True)
    channels = fields.List(fields.String(validate=validate.Length(max=64)), required=True)


class ManifestSchema(Schema):
    """matter.yaml, as API.md describes it."""

    code = fields.String(required=True, validate=validate.Regexp(CODE_PATTERN))
    name = fields.Nested(_Bilingual, required=True)
    category = fields.Nested(_Bilingual, required=True)
    applicant = fields.String(required=True, validate=validate.OneOf(["individual", "unit"]))
    process = fields.String(required=True, validate=validate.Length(min=1, max=255))
    start_form = fields.String(required=True, validate=validate.Length(min=1, max=255))
    time_limit_days = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=365))
    instant = fields.Boolean(required=True)
    guide = fields.Nested(_Guide, required=True)


def read_catalogue_matter(root: Path, code: str) -> MatterBundle:
    """The repository layout: processes/<code>/ plus forms/<code>/, plus the shared
    sub-processes of processes/_shared/ that the matter calls."""
    folders = [root / "processes" / code, root / "forms" / code]
    files = [
        (path.name, path.read_bytes())
        for folder in folders
        if folder.is_dir()
        for path in sorted(folder.iterdir())
        if path.is_file()
    ]
    shared = root / "processes" / SHARED
    if shared.is_dir():
        library = {path.name: path.read_bytes() for path in sorted(shared.glob("*.bpmn"))}
        files += shared_files_called({n: d for n, d in files if n.endswith(".bpmn")}, library).items()
    origin = str(root / "processes" / code)
    return build_bundle(origin, _unique(files, origin))


def catalogue_codes(root: Path) -> list[str]:
    processes = root / "processes"
    if not processes.is_dir():
        return []
    return sorted(p.name for p in processes.iterdir() if (p / MANIFEST).is_file())


def read_bundle_path(path: Path) -> MatterBundle:
    """A bundle from any folder (searched recursively) or zip file."""
    if path.is_dir():
        files = [(p.name, p.read_bytes()) for p in sorted(path.rglob("*")) if p.is_file()]
        return build_bundle(str(path), _unique(files, str(path)))
    if path.is_file() and zipfile.is_zipfile(path):
        if path.stat().st_size > MAX_BUNDLE_BYTES:
            raise ProcessInvalid([Problem(str(path), "", TOO_LARGE)])
        return read_bundle_zip(path.read_bytes(), str(path))
    raise ProcessInvalid([Problem(str(path), "", "not a folder or a zip file")])


def read_bundle_zip(data: bytes, origin: str) -> MatterBundle:
    """A zipped bundle. The sizes its directory declares are checked first, and then each member
    is inflated only up to MAX_FILE_BYTES, whatever it declares: a member that says 100 bytes
    and inflates to a gigabyte is stopped at the cap, not held in memory."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise ProcessInvalid([Problem(origin, "", "not a valid zip file")]) from exc
    entries = [info for info in archive.infolist() if not info.is_dir()]
    if len(entries) > MAX_FILES or sum(i.file_size for i in entries) > MAX_BUNDLE_BYTES:
        raise ProcessInvalid([Problem(origin, "", TOO_LARGE)])
    files = [(Path(info.filename).name, _inflated(archive, info, origin)) for info in entries]
    if sum(len(data) for _, data in files) > MAX_BUNDLE_BYTES:
        raise ProcessInvalid([Problem(origin, "", TOO_LARGE)])
    return build_bundle(origin, _unique(files, origin))


def _inflated(archive: zipfile.ZipFile, info: zipfile.ZipInfo, origin: str) -> bytes:
    """One member's bytes, never inflating more than MAX_FILE_BYTES + 1 of them."""
    name = Path(info.filename).name
    try:
        with archive.open(info) as member:
            data = member.read(MAX_FILE_BYTES + 1)
            if len(data) <= MAX_FILE_BYTES:
                member.read(1)  # at the end: the CRC is checked, so a member lying about its size fails
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise ProcessInvalid([Problem(origin, name, f"not a valid zip member: {exc}")]) from exc
    if len(data) > MAX_FILE_BYTES:
        raise ProcessInvalid([Problem(origin, name, f"file is larger than {MAX_FILE_BYTES} bytes")])
    return data


def _unique(files: Iterable[tuple[str, bytes]], origin: str) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for name, data in files:
        if name.startswith("."):
            continue
        if name in found:
            raise ProcessInvalid([Problem(origin, "", f"two files are named {name!r}")])
        found[name] = data
    return found


def _is_bundle_file(name: str) -> bool:
    return name == MANIFEST or name.endswith((*DIAGRAM_SUFFIXES, ".dmn", *FORM_SUFFIXES))


def build_bundle(origin: str, files: Mapping[str, bytes]) -> MatterBundle:
    """Classify, decode and check the files; ProcessInvalid lists every problem found.

    Files of other kinds (a README, a PNG of the diagram) are ignored and do not count
    towards the content hash, so adding one does not create a new version.
    """
    files = {name: data for name, data in files.items() if _is_bundle_file(name)}
    problems: list[Problem] = []
    bpmn: dict[str, str] = {}
    dmn: dict[str, str] = {}
    forms: dict[str, dict[str, Any]] = {}
    manifest: dict[str, Any] = {}
    for name, data in sorted(files.items()):
        if len(data) > MAX_FILE_BYTES:
            problems.append(Problem(name, "", f"file is larger than {MAX_FILE_BYTES} bytes"))
        elif name == MANIFEST:
            manifest, found = _read_manifest(data)
            problems += found
        elif name.endswith((*DIAGRAM_SUFFIXES, ".dmn")):
            target = dmn if name.endswith(".dmn") else bpmn
            try:
                target[name] = decode_xml(data, name)
            except XmlRejected as exc:
                problems.append(exc.problem)
        elif name.endswith(FORM_SUFFIXES):
            form, found = read_form(name, data)
            problems += found
            if form is not None and form["id"] in forms:
                problems.append(Problem(name, str(form["id"]), "another form has this id"))
            elif form is not None:
                forms[form["id"]] = form
    if not files.get(MANIFEST):
        problems.append(Problem(MANIFEST, "", "the bundle has no matter.yaml"))
    if problems:
        raise ProcessInvalid(problems)
    process = ProcessSources(process_id=manifest["process"], bpmn=bpmn, dmn=dmn)
    return MatterBundle(origin, manifest, process, forms, _digest(files))


def _read_manifest(data: bytes) -> tuple[dict[str, Any], list[Problem]]:
    try:
        raw = yaml.safe_load(data.decode("utf-8"))
        manifest: dict[str, Any] = ManifestSchema(unknown=RAISE).load(raw if isinstance(raw, dict) else {})
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        return {}, [Problem(MANIFEST, "", f"not valid YAML: {exc}")]
    except ValidationError as exc:
        return {}, [Problem(MANIFEST, str(field), f"{msgs}") for field, msgs in _flat(exc.messages)]
    return manifest, []


def _flat(messages: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(messages, dict):
        return [pair for key, value in messages.items() for pair in _flat(value, f"{prefix}{key}.")]
    return [(prefix.rstrip("."), "; ".join(map(str, messages)) if isinstance(messages, list) else messages)]


def read_form(name: str, data: bytes) -> tuple[dict[str, Any] | None, list[Problem]]:
    """A form-js schema from a file's bytes, or the problems that keep it out of a bundle."""
    try:
        form = json.loads(data.decode("utf-8-sig"))
    except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None, [Problem(name, "", f"not valid JSON: {exc}")]
    except RecursionError:
        return None, [Problem(name, "", f"not a form: nested deeper than {MAX_FORM_DEPTH} levels")]
    problems = check_form(form, name)
    return (None, problems) if problems else (form, [])


def _digest(files: Mapping[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode("utf-8") + b"\0" + files[name] + b"\0")
    return digest.hexdigest()


def compile_bundle(bundle: MatterBundle) -> ParsedProcess:
    """Parse the bundle's process and check that every form it names is in the bundle and every
    user task reaches reviewers; the problems of all three are reported together."""
    try:
        parsed: ParsedProcess | None = compile_process(bundle.process)
    except ProcessInvalid as exc:
        parsed, problems = None, list(exc.problems)
    else:
        problems = []
    elements = parsed.elements if parsed is not None else elements_of(bundle.process)
    problems += form_problems(elements, bundle.forms, bundle.manifest["start_form"])
    problems += routing_problems(elements)
    if problems or parsed is None:
        raise ProcessInvalid(problems)
    return parsed


def routing_problems(elements: Mapping[str, ElementInfo]) -> list[Problem]:
    """Every user task must reach reviewers: a candidate group (post) or a lane names them."""
    return [
        Problem(element.file, element.id, "user task names no candidate group (reviewer post) or lane")
        for element in elements.values()
        if element.kind == "userTask" and not element.candidate_groups
    ]


def form_problems(
    elements: Mapping[str, ElementInfo], forms: Mapping[str, Any], start_form: str
) -> list[Problem]:
    """The start form and every form a task names must be in the bundle."""
    problems = []
    if start_form not in forms:
        problems.append(Problem(MANIFEST, "start_form", f"form {start_form!r} is not in the bundle"))
    for element in elements.values():
        if element.form_key and element.form_key not in forms:
            problems.append(
                Problem(element.file, element.id, f"form {element.form_key!r} is not in the bundle")
            )
    return problems
