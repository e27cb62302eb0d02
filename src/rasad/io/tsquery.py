"""The search syntax of `rasad.io.fts` as a PostgreSQL ``to_tsquery`` expression.

`tsquery(query)` reads the same queries as the SQLite store (`rasad.io.fts.query_tokens`: the
words normalised like the stored text, the FTS5 syntax kept) and writes them for
``to_tsquery('simple', …)`` over the store's ``search_vector`` (the normalised title with weight
A, the normalised text with weight B):

- a word is a quoted lexeme (``'ادلب'``); ``word*`` a prefix (``'قصف':*``);
- ``"a phrase"`` (or «…», “…») and ``a + b`` follow each other (``'مدينة ادلب'``, which
  PostgreSQL reads as ``'مدينة' <-> 'ادلب'``);
- ``AND`` (or two terms side by side) is ``&``, ``OR`` is ``|``, ``a NOT b`` is ``a & !b``,
  with FTS5's precedence made explicit by parentheses: terms side by side bind tightest, then
  NOT, then AND, then OR (``a NOT b c`` is ``a & !(b & c)``, ``a NOT b AND c`` is
  ``(a & !b) & c``); as in FTS5, a parenthesis beside a term without an operator between them
  (``(a OR b) c``) is E303;
- ``NEAR(a b, N)`` (N = 10 when omitted: at most N words between them, in either order) is
  ``a <d> b | b <d> a`` for every distance d from 1 to N + 1; with more than two phrases, every
  pair must be near (each pair may be found in a different place of the text, where FTS5 wants
  one window holding them all);
- a column filter (``title:``, ``text:``, ``-title:``, ``{title text}:``) restricts the words
  under it to the weight of those columns (``'ادلب':A``).

What does not carry over: ``^`` (a phrase at the start of a column) is E303 here; a prefix on a
phrase applies to each of its words, where FTS5 applies it to the last; title and text are one
vector, so a phrase can run from the title's last word into the text's first.  Any other
mistake (an operator without an operand, an unbalanced parenthesis, an unknown column) is E303,
as SQLite makes it.
"""

from __future__ import annotations

from collections.abc import Mapping

from rasad.errors import StoreError
from rasad.io.fts import Token, query_tokens

WEIGHTS = {"title": "A", "text": "B"}
"""The weight of each searchable column in the documents' ``search_vector``."""
NEAR_DISTANCE = 10
"""FTS5's default NEAR distance: at most this many words between the phrases."""


def lexeme(text: str, weights: str = "", prefix: bool = False) -> str:
    """One quoted ``to_tsquery`` operand (PostgreSQL splits a phrase into words itself)."""
    quoted = "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"
    label = ("*" if prefix else "") + weights
    return quoted + (":" + label if label else "")


class _Parser:
    """Recursive descent over the tokens, FTS5's grammar (see the module docstring)."""

    def __init__(self, query: str, tokens: list[Token], weights: Mapping[str, str]) -> None:
        self.query = query
        self.weights = weights
        self.tokens = [token for token in tokens if token[0] != "space"]
        self.pos = 0

    def error(self, why: str) -> StoreError:
        return StoreError(f"bad search query {self.query!r}: {why}", code="E303")

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def kind(self) -> str | None:
        """The kind of the next token (None at the end)."""
        token = self.peek()
        return token[0] if token else None

    def take(self, kind: str, value: str | None = None) -> bool:
        token = self.peek()
        if token and token[0] == kind and value in (None, token[1]):
            self.pos += 1
            return True
        return False

    def expect(self, kind: str, value: str, why: str) -> None:
        if not self.take(kind, value):
            raise self.error(why)

    def parse(self) -> str:
        expression = self.any_of("")
        token = self.peek()
        if token is not None:
            raise self.error(f"unexpected {token[1]!r}")
        return expression

    def any_of(self, weights: str) -> str:
        parts = [self.all_of(weights)]
        while self.take("operator", "OR"):
            parts.append(self.all_of(weights))
        return _joined(parts, " | ")

    def starts_operand(self) -> bool:
        token = self.peek()
        return token is not None and (token[0] in ("term", "phrase", "column")
                                      or token == ("operator", "NEAR")
                                      or token[1] in ("(", "{", "^"))

    def all_of(self, weights: str) -> str:
        parts = [self.but_not(weights)]
        while self.take("operator", "AND"):
            parts.append(self.but_not(weights))
        return _joined(parts, " & ")

    def but_not(self, weights: str) -> str:
        expression = self.side_by_side(weights)
        while self.take("operator", "NOT"):
            expression = f"({expression} & !{self.side_by_side(weights)})"
        return expression

    def side_by_side(self, weights: str) -> str:
        """Operands written one after the other: an AND that binds tighter than NOT, and that
        FTS5 refuses next to a parenthesis."""
        first, grouped = self.operand(weights)
        parts = [first]
        while self.starts_operand():
            following, next_grouped = self.operand(weights)
            if grouped or next_grouped:
                raise self.error("a parenthesis needs AND, OR or NOT between it and the terms "
                                 "beside it")
            parts.append(following)
        return _joined(parts, " & ")

    def operand(self, weights: str) -> tuple[str, bool]:
        """The next operand, and whether it was in parentheses."""
        token = self.peek()
        if token is None:
            raise self.error("an operator lacks a term after it")
        kind, value = token
        if kind == "column" or token == ("syntax", "{"):
            return self.operand(self.column_weights())
        if self.take("syntax", "("):
            expression = self.any_of(weights)
            self.expect("syntax", ")", "a parenthesis is never closed")
            return expression, True
        if self.take("operator", "NEAR"):
            return self.near(weights), False
        if token == ("syntax", "^"):
            raise self.error("^ (the start of a column) is not supported by PostgreSQL search")
        if kind in ("term", "phrase"):
            return self.phrase(weights), False
        raise self.error(f"unexpected {value!r}")

    def column_weights(self) -> str:
        names: list[str] = []
        if self.take("syntax", "{"):
            while self.kind() == "column":
                names.append(self.tokens[self.pos][1])
                self.pos += 1
            self.expect("syntax", "}", "a { is never closed")
        else:
            names.append(self.tokens[self.pos][1])
            self.pos += 1
        self.expect("syntax", ":", "a column filter lacks its colon")
        negate = bool(names) and names[0].startswith("-")
        names = [name.removeprefix("-") for name in names]
        unknown = [name for name in names if name not in self.weights]
        if unknown or not names:
            raise self.error(f"no such column {(unknown or [''])[0]!r} (columns: "
                             f"{', '.join(self.weights) or 'none'})")
        chosen = {self.weights[name] for name in names}
        if negate:
            chosen = set(self.weights.values()) - chosen
        return "".join(sorted(chosen))

    def phrase(self, weights: str) -> str:
        words = [self.tokens[self.pos][1]]
        self.pos += 1
        prefix = self.take("syntax", "*")
        while self.take("syntax", "+"):
            token = self.peek()
            if token is None or token[0] not in ("term", "phrase"):
                raise self.error("+ lacks a phrase after it")
            words.append(token[1])
            self.pos += 1
            prefix = self.take("syntax", "*")
        return lexeme(" ".join(words), weights, prefix)

    def near(self, weights: str) -> str:
        self.expect("syntax", "(", "NEAR lacks its parenthesis")
        phrases: list[str] = []
        distance = NEAR_DISTANCE
        while self.kind() in ("term", "phrase"):
            phrases.append(self.phrase(weights))
        if self.take("syntax", ","):
            token = self.peek()
            if token is None or token[0] != "term" or not token[1].isdigit():
                raise self.error("NEAR's distance must be a number")
            distance = int(token[1])
            self.pos += 1
        self.expect("syntax", ")", "NEAR( is never closed")
        if not phrases:
            raise self.error("NEAR() holds no phrase")
        if len(phrases) == 1:
            return phrases[0]
        pairs = [near_pair(a, b, distance)
                 for i, a in enumerate(phrases) for b in phrases[i + 1:]]
        return _joined(pairs, " & ")


def _joined(parts: list[str], operator: str) -> str:
    return parts[0] if len(parts) == 1 else "(" + operator.join(parts) + ")"


def near_pair(a: str, b: str, distance: int) -> str:
    """`a` and `b` with at most `distance` words between them, in either order."""
    steps = range(1, distance + 2)
    return "(" + " | ".join(f"{x} <{d}> {y}" for d in steps for x, y in ((a, b), (b, a))) + ")"


def tsquery(query: str, weights: Mapping[str, str] = WEIGHTS) -> str:
    """A ``to_tsquery('simple', …)`` expression for a search query in `rasad.io.fts` syntax;
    `weights` are the columns a filter may name and their weights (none for a text without
    columns, such as an event's evidence: a filter is then E303, as in SQLite)."""
    return _Parser(query, query_tokens(query), weights).parse()
