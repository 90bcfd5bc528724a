"""Every stylesheet of ours parses cleanly: no parse error, no block left open.

A browser forgives both silently: an unclosed `@media (max-width: 760px) {` once made every rule
after it apply only on phones, and nothing failed.
"""

from pathlib import Path

import pytest
import tinycss2
from tinycss2 import ast

STATIC = Path(__file__).resolve().parents[1] / "static"
STYLESHEETS = sorted(
    p for p in STATIC.rglob("*.css") if "vendor" not in p.relative_to(STATIC).parts
)
CLOSERS = "}])"
BLOCKS = (ast.CurlyBracketsBlock, ast.SquareBracketsBlock, ast.ParenthesesBlock, ast.FunctionBlock)


def _significant(nodes: list) -> list:
    return [n for n in nodes if n.type not in ("whitespace", "comment")]


def _inside(block: ast.Node) -> list:
    return block.arguments if isinstance(block, ast.FunctionBlock) else block.content


def _token_problems(tokens: list) -> list[tuple[int, str]]:
    """Tokenizer errors: bad string, bad URL, a bracket that closes nothing."""
    problems = []
    for token in tokens:
        if token.type == "error":
            problems.append((token.source_line, token.message))
        elif isinstance(token, BLOCKS):
            problems += _token_problems(_inside(token))
    return problems


def _rule_problems(nodes: list) -> list[tuple[int, str]]:
    problems = []
    for node in nodes:
        if node.type == "error":
            problems.append((node.source_line, node.message))
        elif node.type == "declaration":
            problems += _token_problems(node.value)
        elif node.type in ("qualified-rule", "at-rule"):
            problems += _token_problems(node.prelude)
            if node.content is not None:
                contents = tinycss2.parse_blocks_contents(
                    node.content, skip_whitespace=True, skip_comments=True
                )
                problems += _rule_problems(contents)
    return problems


def _open_at_end(source: str, values: list) -> ast.Node | None:
    """The outermost block still open when the file ends, if any.

    tinycss2, like a browser, closes such blocks at the end of the file without a word. A block
    still open there is the last thing in its parent, so the open ones sit on the chain of last
    children; the brackets that end the file close the innermost of that chain, and whatever is
    left over was never closed.
    """
    chain = []
    children = _significant(values)
    while children and isinstance(children[-1], BLOCKS):
        chain.append(children[-1])
        children = _significant(_inside(children[-1]))
    unclosed = len(chain) - _trailing_closers(source)
    return chain[0] if unclosed > 0 else None


def _trailing_closers(source: str) -> int:
    """How many closing brackets end the file, ignoring whitespace and comments between them."""
    count, text = 0, source.rstrip()
    while text:
        if text.endswith("*/") and "/*" in text:
            text = text[: text.rindex("/*")].rstrip()
        elif text[-1] in CLOSERS:
            count += 1
            text = text[:-1].rstrip()
        else:
            break
    return count


def stylesheet_problems(source: str) -> list[tuple[int, str]]:
    """(line, message) for each parse error and for a block left open, in file order."""
    nodes = tinycss2.parse_stylesheet(source, skip_whitespace=True, skip_comments=True)
    problems = _rule_problems(nodes)
    still_open = _open_at_end(source, tinycss2.parse_component_value_list(source))
    if still_open is not None:
        problems.append((still_open.source_line, "block opened here is never closed"))
    return sorted(problems)


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda p: str(p.relative_to(STATIC)))
def test_stylesheet_parses_without_errors_and_closes_every_block(path):
    problems = stylesheet_problems(path.read_text(encoding="utf-8"))
    name = path.relative_to(STATIC.parent)
    assert not problems, "\n".join(f"{name}:{line}: {message}" for line, message in problems)


def test_there_are_stylesheets_to_check():
    assert STATIC / "css" / "app.css" in STYLESHEETS


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("@media x {\n  a { b: c }\n}\n/* end */\n", []),
        (
            "a { b: c }\n@media (max-width: 1px) {\n  .d { e: f }\n.g { h: i }\n",
            [(2, "never closed")],
        ),
        ("a { b: c; }\n}\nd { e: f }", [(2, "Unmatched }")]),
        ("a {\n  color red;\n}", [(2, "Stop token")]),
        ('a {\n  content: "b\n}', [(2, "Bad string")]),
        ("a { b: url(c d) }", [(1, "bad URL")]),
        ("a { b: calc(1px + 2px }", [(1, "Unmatched }"), (1, "never closed")]),
    ],
    ids=[
        "clean",
        "unclosed-media",
        "stray-brace",
        "bad-declaration",
        "bad-string",
        "bad-url",
        "open-paren",
    ],
)
def test_checker_finds_each_kind_of_mistake_on_its_line(source, expected):
    problems = stylesheet_problems(source)
    assert len(problems) == len(expected), problems
    for (line, message), (expected_line, fragment) in zip(problems, expected, strict=True):
        assert (line, fragment in message) == (expected_line, True), problems
