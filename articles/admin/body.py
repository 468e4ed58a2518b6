"""The article body as editors type it: paragraphs and "## " intertitles in one text."""

import re

from django import forms

from articles.models import Article

INTERTITLE_PREFIX = "## "


def blocks_to_text(blocks: list[dict]) -> str:
    return "\n\n".join(
        INTERTITLE_PREFIX + block["text"]
        if block.get("type") == Article.BlockType.INTERTITLE
        else block["text"]
        for block in blocks
    )


def text_to_blocks(text: str) -> list[dict]:
    """Blank lines separate blocks; a block starting with "## " is an intertitle."""
    blocks = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        chunk = " ".join(line.strip() for line in chunk.strip().splitlines())
        if chunk.startswith(INTERTITLE_PREFIX.strip()):
            text = chunk.lstrip("#").strip()
            if text:
                blocks.append({"type": Article.BlockType.INTERTITLE, "text": text})
        elif chunk:
            blocks.append({"type": Article.BlockType.PARAGRAPH, "text": chunk})
    return blocks


class BodyField(forms.CharField):
    """Edits the JSON blocks as plain text, so nobody has to type JSON."""

    widget = forms.Textarea(attrs={"rows": 18, "class": "vLargeTextField"})

    def prepare_value(self, value):
        return blocks_to_text(value) if isinstance(value, list) else value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        return text_to_blocks(super().to_python(value) or "")
