#!/usr/bin/env python3
"""Writes the seeds of the fuzz target `edits` into fuzz/seeds/edits.

The target reads its input with `arbitrary::Unstructured` (see fuzz_targets/edits.rs); this
script encodes readable edit scripts in that format, so the seeds start the fuzzer from the
situations that make LSP positions hard rather than from random bytes. Each script is an
encoding, an initial text and a list of changes; texts are lists of the target's PIECES (read
from tests/lsp/edit_model.rs, so the indices stay right when the palette changes).

Check what a seed decodes to with
    COPYDESK_FUZZ_SHOW=1 fuzz/target/x86_64-unknown-linux-gnu/release/edits fuzz/seeds/edits/NAME

Usage: fuzz/edits_seeds.py   (rewrites the files it names; other seeds are left alone)
"""

import ast
import pathlib
import re

HERE = pathlib.Path(__file__).resolve().parent
SOURCE = (HERE / "fuzz_targets" / "edits.rs").read_text()
PALETTE = (HERE.parent / "tests" / "lsp" / "edit_model.rs").read_text()


def read_pieces():
    block = re.search(r"const PIECES: &\[&str\] = &\[(.*?)\];", PALETTE, re.S).group(1)
    pieces = []
    for literal in re.findall(r'"((?:[^"\\]|\\.)*)"', block):
        # Rust's \u{XXXX} to Python's \UXXXXXXXX; the other escapes are the same in both.
        literal = re.sub(r"\\u\{([0-9a-fA-F]+)\}", lambda m: "\\U%08x" % int(m.group(1), 16), literal)
        pieces.append(ast.literal_eval('"' + literal + '"'))
    return pieces


PIECES = read_pieces()
MAX_CHANGES = int(re.search(r"const MAX_CHANGES: usize = (\d+);", SOURCE).group(1))


# The model of tests/lsp/edit_model.rs, enough to know the lines the decoder will see.
def lines(text):
    out, start, i, b = [], 0, 0, text.encode()
    while i < len(b):
        if b[i] == 0x0A:
            out.append((start, i))
            start = i + 1
        elif b[i] == 0x0D:
            out.append((start, i))
            if i + 1 < len(b) and b[i + 1] == 0x0A:
                i += 1
            start = i + 1
        i += 1
    out.append((start, len(b)))
    return out


def width(c, utf8):
    return len(c.encode()) if utf8 else len(c.encode("utf-16-le")) // 2


def units(text, utf8):
    return sum(width(c, utf8) for c in text)


def offset(text, line, character, utf8):
    b = text.encode()
    ls = lines(text)
    if line >= len(ls):
        return len(b)
    start, end = ls[line]
    seen, at = 0, start
    for c in b[start:end].decode():
        w = width(c, utf8)
        if seen + w > character:
            return at
        seen += w
        at += len(c.encode())
    return end


def apply(text, change, utf8):
    if change[0] == "whole":
        return "".join(change[1])
    _, (l1, c1), (l2, c2), pieces = change
    b = text.encode()
    start = offset(text, l1, c1, utf8)
    end = max(offset(text, l2, c2, utf8), start)
    return (b[:start] + "".join(pieces).encode() + b[end:]).decode()


class Encoder:
    def __init__(self):
        self.out = bytearray()

    def byte(self, value):
        self.out.append(value)

    def int_in_range(self, value, high):
        # One byte while the range fits in one, as Unstructured::int_in_range reads it.
        assert 0 <= value <= high < 256, (value, high)
        self.byte(value)

    def ratio(self, yes):
        # u.ratio(1, n) is true when the byte is a multiple of n.
        self.byte(0 if yes else 1)

    def text(self, pieces, max_pieces):
        self.int_in_range(len(pieces), max_pieces)
        for piece in pieces:
            self.ratio(False)  # a piece of the palette, not raw bytes
            self.int_in_range(PIECES.index(piece), len(PIECES) - 1)

    def position(self, text, line, character, utf8):
        ls = lines(text)
        if line > len(ls) or (line < len(ls) and character > units_of_line(text, ls[line], utf8) + 2) or (
            line == len(ls) and character > 2
        ):
            # Out of the near range: the "any numbers" branch, little-endian u32s.
            self.ratio(True)
            self.out += line.to_bytes(4, "little") + character.to_bytes(4, "little")
            return
        self.ratio(False)
        self.int_in_range(line, len(ls))
        self.int_in_range(character, (units_of_line(text, ls[line], utf8) if line < len(ls) else 0) + 2)


def units_of_line(text, span, utf8):
    return units(text.encode()[span[0] : span[1]].decode(), utf8)


def encode(utf8, initial, changes):
    assert len(changes) <= MAX_CHANGES
    e = Encoder()
    e.byte(1 if utf8 else 0)
    e.text(initial, 40)
    text = "".join(initial)
    for change in changes:
        if change[0] == "whole":
            e.ratio(True)
            e.text(change[1], 24)
        else:
            _, (l1, c1), (l2, c2), pieces = change
            e.ratio(False)
            e.position(text, l1, c1, utf8)
            e.ratio(True)  # the end is a position of its own
            e.position(text, l2, c2, utf8)
            e.text(pieces, 4)
        text = apply(text, change, utf8)
    return bytes(e.out), text


def at(l1, c1, l2=None, c2=None, *pieces):
    # "" stands for no text: a deletion.
    return ("range", (l1, c1), (l1 if l2 is None else l2, c1 if c2 is None else c2), [p for p in pieces if p])


def typing(line, character, words, utf8):
    """Changes that type `words` one piece at a time from (line, character) on one line."""
    out = []
    for piece in words:
        out.append(at(line, character, None, None, piece))
        character += units(piece, utf8)
    return out


SEEDS = {
    # Typing a sentence piece by piece after an emoji (UTF-16: the emoji is two units).
    "typing-after-emoji": (False, ["🙂", "\n"], typing(0, 2, ["The ", "the ", "Mayor Ana Reyes ", "said ", ". "], False)),
    # Inserting inside a surrogate pair and inside a UTF-8 sequence: the start of the character.
    "inside-surrogate-pair": (False, ["a ", "🙂", "é", "\n"], [at(0, 3, None, None, "TK "), at(0, 6, 0, 7, "")]),
    "inside-utf8-sequence": (True, ["é", "中文", "\n"], [at(0, 1, None, None, "said "), at(0, 8, 0, 10, ",", " ")]),
    # Deleting across CRLF and a lone CR; U+2028 and U+0085 are not line breaks in LSP.
    "crlf-and-lone-cr": (
        False,
        ["The ", "\r\n", "said ", "\r", "Reyes ", "\u2028", "a ", "\u0085", "hour ", "\r\n"],
        [at(0, 4, 1, 0, " "), at(1, 6, 2, 0, ""), at(1, 8, None, None, "TK ")],
    ),
    # Combining marks: a mark inserted after a base, then the base deleted alone.
    "combining-marks": (True, ["e\u0301", "the ", "\n"], [at(0, 3, None, None, "\u0301"), at(0, 0, 0, 1, ""), at(0, 0, None, None, "é")]),
    # A ZWJ family: edits between its members.
    "zwj-sequence": (False, ["said ", "👩\u200d👩\u200d👧", ". ", "\n"], [at(0, 7, 0, 8, ""), at(0, 5, 0, 13, "🙂")]),
    # Reversed ranges and positions far past the end of the line and of the draft.
    "reversed-and-out-of-range": (
        False,
        ["The ", "said ", "\n", "Reyes ", "\n"],
        [at(1, 4, 0, 2, "a "), at(0, 200, None, None, " ,"), at(70000, 3, None, None, "TK "), at(1, 0, 0, 0, "")],
    ),
    # A whole-text replacement in the middle of ranged edits.
    "whole-replacement": (
        True,
        ["The ", "the ", "\n"],
        [at(0, 0, None, None, "# "), ("whole", ["> ", "“", "said ", "”", "\r\n", "- ", "a ", "hour "]), at(1, 2, None, None, "TK ")],
    ),
    # A quotation opened in one paragraph and closed in a later one: every block after the
    # opening changes meaning, which the reuse of the previous analysis must notice.
    "quote-across-paragraphs": (
        False,
        ["The ", "said ", "\n\n", "Reyes ", "said ", ".", "\n\n", "the ", "hour ", ".", "\n"],
        [at(0, 0, None, None, "“"), at(4, 0, None, None, "”"), at(4, 0, 4, 1, ""), at(2, 6, None, None, "”")],
    ),
    # A code fence opened mid-draft swallows the rest, then is closed again.
    "code-fence-opened-and-closed": (
        True,
        ["The ", "the ", "\n\n", "TK ", "\n\n", "said ", "said ", "\n"],
        [at(2, 0, None, None, "```\n"), at(5, 0, None, None, "```\n"), at(2, 0, 3, 0, "")],
    ),
    # Lists and block quotes nested by typing markers at line starts.
    "nesting-by-typing": (
        False,
        ["said ", "\n", "said ", "\n", "Reyes ", "\n"],
        [at(0, 0, None, None, "- "), at(1, 0, None, None, "> "), at(1, 2, None, None, "- "), at(2, 0, None, None, "1. ")],
    ),
    # The disable comment typed in and removed again.
    "disable-comment": (
        True,
        ["the ", "the ", "\n", "TK ", "\n"],
        [at(0, 0, None, None, "<!-- copydesk-disable -->", "\n"), at(0, 0, 1, 0, "")],
    ),
    # A byte-order mark, a zero-width space and tabs at the start of the draft.
    "bom-and-invisibles": (False, ["\ufeff", "\t", "The ", "\u200b", "the ", "\n"], [at(0, 1, 0, 2, ""), at(0, 0, 0, 1, "")]),
}


def main():
    folder = HERE / "seeds" / "edits"
    folder.mkdir(parents=True, exist_ok=True)
    for name, (utf8, initial, changes) in SEEDS.items():
        data, final = encode(utf8, initial, changes)
        (folder / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes, {len(changes)} changes, final {final!r}")


if __name__ == "__main__":
    main()
