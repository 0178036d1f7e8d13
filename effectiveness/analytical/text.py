"""The editable text of the analytical report: plain text, one paragraph a line; a line
opening with a dash is an item of a list. No markup is stored or rendered, so what the
methodologist types is what the report prints."""

import re
from dataclasses import dataclass, field

ITEM = "— "
_ITEM_MARK = re.compile(r"\A[—–•-]\s*")
# «№ 10» never splits across lines.
_NUMBER_SIGN = re.compile(r"№\s+(?=\d)")


@dataclass
class Block:
    """A paragraph (`text`) or a list (`items`)."""

    text: str = ""
    items: list[str] = field(default_factory=list)


def _typeset(line: str) -> str:
    return _NUMBER_SIGN.sub("№\u00a0", line)


def blocks(text: str) -> list[Block]:
    """The stored text as paragraphs and lists; blank lines are dropped."""
    result: list[Block] = []
    for line in text.splitlines():
        line = _typeset(line.strip())
        mark = _ITEM_MARK.match(line)
        if not line:
            continue
        if mark is None:
            result.append(Block(text=line))
        elif result and result[-1].items:
            result[-1].items.append(line[mark.end() :])
        else:
            result.append(Block(items=[line[mark.end() :]]))
    return result


def item(text: str) -> str:
    return f"{ITEM}{text}"
