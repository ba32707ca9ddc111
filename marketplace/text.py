"""Text hygiene for everything a seller (or anyone outside staff) writes: the one
home of `plain_text`, applied by every service that stores such text (product
title, description and materials; booth name, trade, story and neighbourhood;
holiday message; moderation notes) and what a buyer types at checkout
(`orders.services.checkout_text_clean`).
"""

from __future__ import annotations

import html
import re

import nh3

# C0 controls except tab and newlines, and DEL.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Bidirectional controls: embeddings and overrides (U+202A-U+202E), isolates
# (U+2066-U+2069), the LRM/RLM marks (U+200E, U+200F) and the Arabic letter mark
# (U+061C). A seller's text must not reorder what the page shows around it (a
# "Trojan Source" title can make a price or a booth name read backwards). The
# zero-width non-joiner (U+200C, نیم‌فاصله) is ordinary Persian spelling and stays.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def plain_text(value: str, *, multiline: bool = True) -> str:
    """Seller-written text as plain text: every HTML tag removed by nh3 (the
    contents of <script> and <style> too), entities turned back into characters,
    control and bidirectional control characters dropped. Repeated until stable,
    so an escaped tag (`&lt;script&gt;`) cannot come back as a real one. Templates
    still escape it on output (never `|safe`); this is the second fence, not the
    only one. `multiline=False` also folds every run of whitespace into a space."""
    text = value or ""
    for _ in range(5):
        cleaned = html.unescape(nh3.clean(text, tags=set()))
        if cleaned == text:
            break
        text = cleaned
    text = _CONTROL_CHARS.sub("", text.replace("\r\n", "\n"))
    text = _BIDI_CONTROLS.sub("", text)
    if not multiline:
        text = " ".join(text.split())
    return text.strip()


# What ends a sentence in Persian text (a closing quote or bracket after one too).
_SENTENCE_END = re.compile(r"[.!?؟…][»\")\]]*$")


def as_sentence(value: str) -> str:
    """`value` ended as a sentence, so that text built around it does not run
    on: «مواد اولیه تمام شده است» + «این بخش لغو شد» needs a «.» between them.
    A reason typed with its own full stop or question mark keeps it; a reason
    typed with a trailing «،» or «:» gets a full stop in its place; empty stays
    empty."""
    text = (value or "").strip().rstrip("،,؛;:").rstrip()
    if not text or _SENTENCE_END.search(text):
        return text
    return text + "."
