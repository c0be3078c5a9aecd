"""An article's text cut into what the rules read: paragraphs, sentences and quotations.

Offsets are kept against the paragraph's own text, so every drafted record can cite the
paragraph it came from and a quotation is taken exactly as printed.
"""

import re
from dataclasses import dataclass, field

# A line that is the wire's furniture rather than the report: copyright, comment counters, a
# dateline standing alone.
_BOILERPLATE = re.compile(
    r"^(?:©|\(c\)|copyright\b|\d+\s+comments?\b|comments?\b|share\b|read more\b|"
    r"[\w ]*\d{1,2}(?:st|nd|rd|th)?\s+\w+\s+(?:19|20)\d\d,?\s+comments?\b)",
    re.IGNORECASE,
)
_ABBREVIATIONS = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Col|Sgt|Lt|Capt|Gov|Sen|Rep|No|Jr|Sr|Inc|Ltd|Co|vs|etc|"
    r"e\.g|i\.e|U\.S|U\.K|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.$"
)
OPENING = "\"“‘'"
CLOSING = {'"': '"', "“": "”", "‘": "’", "'": "'"}


@dataclass
class Quote:
    """Words between quotation marks: ``start``/``end`` are the marks' offsets (outside them)."""

    text: str
    start: int
    end: int
    closed: bool = True
    spoken: bool = True

    @property
    def words(self):
        return len(self.text.split())


@dataclass
class Paragraph:
    number: int
    text: str
    quotes: list = field(default_factory=list)

    def sentences(self):
        return split_sentences(self.text)


def normalise(text):
    return re.sub(r"\s+", " ", text).strip()


def paragraphs(text):
    """The blocks of the article: blank lines between them, or one a line when it has none.

    Returns (headline or "", [Paragraph]): a first short block without a full stop is the
    headline; boilerplate lines are dropped.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = [normalise(block) for block in re.split(r"\n\s*\n", text)]
    if len(blocks) <= 2 and text.count("\n") > 2:
        blocks = [normalise(line) for line in text.split("\n")]
    blocks = [block for block in blocks if block and not _BOILERPLATE.match(block)]
    headline = ""
    if blocks and len(blocks[0]) < 160 and not re.search(r"[.!?][\"”’]?$", blocks[0]):
        headline = blocks.pop(0)
    result = []
    for block in blocks:
        paragraph = Paragraph(len(result) + 1, block)
        paragraph.quotes = find_quotes(block)
        result.append(paragraph)
    return headline, result


def find_quotes(text):
    """Quotations of a paragraph, straight or curly, across sentence breaks.

    A quotation left open at the end of the paragraph is the wire's way of continuing it in the
    next one: it runs to the end and is marked not ``closed``. An apostrophe inside a word
    ("Britain's") never opens or closes one.
    """
    quotes = []
    position = 0
    while position < len(text):
        char = text[position]
        if char in '"“' or (char == "‘" and _opens(text, position)):
            closing = CLOSING[char]
            if char == '"':
                close = text.find('"', position + 1)
            elif char == "“":
                close = _find_any(text, position + 1, '”"')
            else:
                close = _find_single_close(text, position + 1)
            if close == -1:
                inner = text[position + 1 :]
                quotes.append(Quote(inner.strip(), position, len(text), closed=False))
                break
            quotes.append(Quote(text[position + 1 : close], position, close + 1))
            position = close + len(closing)
            continue
        position += 1
    return quotes


def _opens(text, position):
    return position == 0 or not text[position - 1].isalnum()


def _find_any(text, start, characters):
    positions = [text.find(c, start) for c in characters]
    positions = [p for p in positions if p != -1]
    return min(positions) if positions else -1


def _find_single_close(text, start):
    for match in re.finditer("’", text[start:]):
        end = start + match.start()
        if end + 1 >= len(text) or not text[end + 1].isalnum():
            return end
    return -1


def split_sentences(text):
    """(start, end) spans of the sentences of ``text``; a full stop inside a quotation ends a
    sentence only when the quotation does too."""
    spans = []
    start = 0
    depth_marks = find_quotes(text)
    inside = [(quote.start, quote.end) for quote in depth_marks]
    for match in re.finditer(r"[.!?]+[\"”’]?(?=\s+[\"“‘A-Z0-9]|\s*$)", text):
        end = match.end()
        if any(q_start < match.start() < q_end - 1 for q_start, q_end in inside):
            continue
        candidate = text[start:end]
        if _ABBREVIATIONS.search(candidate.rstrip('"”’')):
            continue
        spans.append((start, end))
        start = end
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def strip_quotes(text):
    return text.strip().strip("\"“”‘’'").strip()
