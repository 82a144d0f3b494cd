"""The rules a DMN file must meet to be deployed, checked on the file alone.

A business rule task calls a decision by id; whether the id it names exists is a question for
the whole bundle (specs.py). What a DMN file must satisfy by itself is checked here, for
deployment and for `catalogue check` of a lone `.dmn` alike: it is DMN 1.1 to 1.3, it defines one
decision (SpiffWorkflow registers a file under its first decision only) made of a decision
table, every expression and cell parses and passes the script sandbox, and SpiffWorkflow can
build the table.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree
from SpiffWorkflow.dmn.parser.BpmnDmnParser import SCHEMAS
from SpiffWorkflow.exceptions import SpiffWorkflowException

from engine.bpmn.allowlist import ScriptRejected
from engine.bpmn.expressions import to_python
from engine.bpmn.extensions import MatterCamundaParser
from engine.bpmn.sandbox import compile_checked
from engine.errors import Problem

ANY = frozenset({"", "-"})  # an input entry that matches every value


def check_decisions(file: str, root: etree._Element) -> list[Problem]:
    """Every problem of one DMN document, each with the element it concerns."""
    name = etree.QName(root)
    if name.localname != "definitions" or name.namespace not in SCHEMAS:
        root_is = f"{name.localname!r} of {name.namespace or 'no namespace'}"
        return [Problem(file, "", f"not a DMN 1.1-1.3 document (its root is {root_is})")]
    decisions = root.findall(f"{{{name.namespace}}}decision")
    if not decisions:
        return [Problem(file, "", "the file defines no decision")]
    problems = [
        Problem(
            file,
            extra.get("id", ""),
            "only the first decision of a file can be called; give each decision its own file",
            extra.sourceline,
        )
        for extra in decisions[1:]
    ]
    problems += _check_table(file, decisions[0], name.namespace)
    return problems or _build_with_spiff(file, root, decisions[0].get("id", ""))


def _check_table(file: str, decision: etree._Element, namespace: str) -> list[Problem]:
    table = decision.find(f"{{{namespace}}}decisionTable")
    if table is None:
        return [
            Problem(file, decision.get("id", ""), "the decision has no decision table", decision.sourceline)
        ]
    problems = []
    for owner, text, is_test in _expressions(table, namespace):
        message = _refusal(text, is_test)
        if message:
            problems.append(Problem(file, owner.get("id", ""), message, owner.sourceline))
    return problems


def _expressions(table: etree._Element, namespace: str) -> Iterator[tuple[etree._Element, str, bool]]:
    """(element, text, is a unary test) for input expressions and every rule's cells."""
    tag = f"{{{namespace}}}"
    for expression in table.iter(f"{tag}inputExpression"):
        yield expression.getparent(), expression.findtext(f"{tag}text") or "", False
    for kind, is_test in (("inputEntry", True), ("outputEntry", False)):
        for entry in table.iter(f"{tag}{kind}"):
            yield entry, entry.findtext(f"{tag}text") or "", is_test


def _refusal(text: str, is_test: bool) -> str | None:
    """Why SpiffWorkflow's DMN engine could not evaluate this text in the sandbox, or None."""
    source = text.strip()
    if source in ANY:
        return None
    candidates = [to_python(source)]
    if is_test:  # '< 20000' is tested as '<input> < 20000', '4 < ? < 6' with the input for '?'
        candidates = [source.replace("?", "dmninputexpr")] if "?" in source else [*candidates, f"v {source}"]
    for candidate in candidates:
        try:
            compile_checked(candidate, "eval")
        except SyntaxError:
            continue
        except ScriptRejected as exc:
            return f"{source!r} refused: {exc}"
        return None
    return f"{source!r} does not parse"


def _build_with_spiff(file: str, root: etree._Element, decision_id: str) -> list[Problem]:
    parser = MatterCamundaParser()
    try:
        parser.add_dmn_xml(root, filename=file)
        parser.get_engine(decision_id, None)  # type: ignore[no-untyped-call]
    except (SpiffWorkflowException, KeyError, IndexError, ValueError, SyntaxError) as exc:
        element = getattr(exc, "id", None) or decision_id
        return [Problem(file, element, f"cannot be built: {exc}".split("\n")[0])]
    return []
