"""The syntax of ARM template expressions: tokens, the nodes of a parsed expression, and the parser.

Parsing is bounded (MAX_EXPRESSION_LENGTH characters, MAX_EXPRESSION_DEPTH levels of nesting), so that a
template cannot exhaust the stack or the time of the evaluator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..limits import MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH
from .context import INT64, INT64_RANGE, ExpressionError, echoed

_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<number>-?\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?=\s*\())"
    r"|(?P<ident>[A-Za-z_$][A-Za-z0-9_$]*)|(?P<punct>[(),.\[\]]))"
)


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class Member:
    target: Node
    name: str


@dataclass(frozen=True)
class Index:
    target: Node
    index: Node


Node = Call | Literal | Member | Index


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        while pos < len(text):
            if not text[pos:].strip():
                break
            match = _TOKEN.match(text, pos)
            if match is None or match.end() == pos:
                raise ExpressionError(f"cannot read the expression at '{text[pos : pos + 20]}'")
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind)))
            pos = match.end()
        self.pos = 0
        self.depth = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1] != value):
            found = f"'{echoed(token[1])}'" if token else "the end"
            raise ExpressionError(
                f"expected '{value or 'a value'}' but found {found} in [{echoed(self.text)}]"
            )
        self.pos += 1
        return token

    def _namespaced(self) -> bool:
        ahead = self.tokens[self.pos : self.pos + 2]
        return len(ahead) == 2 and ahead[0] == ("punct", ".") and ahead[1][0] == "name"

    def parse(self) -> Node:
        node = self.expression()
        if self.peek() is not None:
            raise ExpressionError(f"unexpected '{echoed(self.peek()[1])}' in [{echoed(self.text)}]")  # type: ignore[index]
        return node

    def expression(self) -> Node:
        self.depth += 1
        if self.depth > MAX_EXPRESSION_DEPTH:
            raise ExpressionError(
                f"calls and indexes nest more than {MAX_EXPRESSION_DEPTH} deep in [{self.text[:80]}...]"
            )
        node = self._expression()
        self.depth -= 1
        return node

    def _integer(self, digits: str) -> int:
        # Digits are counted before int() reads them: past 4,300 of them it raises ValueError.
        if len(digits.lstrip("-").lstrip("0")) <= len(str(INT64)):
            number = int(digits)
            if -INT64 <= number < INT64:
                return number
        raise ExpressionError(
            f"the integer {echoed(digits)} is outside ARM's 64-bit integers {INT64_RANGE} "
            f"in [{echoed(self.text)}]"
        )

    def _expression(self) -> Node:
        kind, value = self.take()
        node: Node
        if kind == "string":
            node = Literal(value[1:-1].replace("''", "'"))
        elif kind == "number":
            node = Literal(float(value) if "." in value else self._integer(value))
        elif kind == "name" or (kind == "ident" and self._namespaced()):
            if kind == "ident":  # `namespace.function(...)`: a user-defined function
                self.take(".")
                value = f"{value}.{self.take()[1]}"
            self.take("(")
            args: list[Node] = []
            if self.peek() != ("punct", ")"):
                args.append(self.expression())
                while self.peek() == ("punct", ","):
                    self.take(",")
                    args.append(self.expression())
            self.take(")")
            node = Call(value, tuple(args))
        else:
            raise ExpressionError(f"unexpected '{echoed(value)}' in [{echoed(self.text)}]")
        while self.peek() in (("punct", "."), ("punct", "[")):
            if self.take()[1] == ".":
                node = Member(node, self.take()[1])
            else:
                node = Index(node, self.expression())
                self.take("]")
        return node


def parse(expression: str) -> Node:
    """Parse the text between the brackets of an expression string."""
    if len(expression) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(
            f"the expression has {len(expression):,} characters; "
            f"Azure allows at most {MAX_EXPRESSION_LENGTH:,}"
        )
    return _Parser(expression).parse()
