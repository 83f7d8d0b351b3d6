"""The sandboxed Jinja environment in which templates/ turn a directive into document markup."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from models.directive import item_label
from models.errors import InputError
from models.vntext import roman

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# Contents hold no '*', so the tags made are always whole and well nested; as in Markdown, a
# mark touches its text ("5 * 3" is arithmetic), and a '*' that pairs with nothing stays.
_BOLD_ITALIC = re.compile(r"\*\*\*(?=\S)([^*]+?)(?<=\S)\*\*\*")
_BOLD = re.compile(r"\*\*(?=\S)([^*]+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"\*(?=\S)([^*]+?)(?<=\S)\*")


def rich(text: str) -> Markup:
    """Escape data text, then turn its ***bold italic***, **bold** and *italic* marks into
    markup ('*{deadline}*' puts the bold deadline phrase in italics)."""
    safe = _BOLD_ITALIC.sub(r"<b><i>\1</i></b>", str(escape(text)))
    return Markup(_ITALIC.sub(r"<i>\1</i>", _BOLD.sub(r"<b>\1</b>", safe)))


@cache
def environment(folder: Path = TEMPLATES) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,  # every value from data is XML-escaped: '&', '<', '"' cannot break a file
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(rich=rich, roman=roman, item_label=item_label)
    return env


def template(name: str, folder: Path = TEMPLATES) -> jinja2.Template:
    """Load and compile NAME; a broken template is the user's input error, named by line."""
    try:
        return environment(folder).get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or str(folder / name)
        raise InputError.one(
            where,
            f"dòng {exc.lineno}",
            exc.source.splitlines()[exc.lineno - 1].strip() if exc.source else None,
            f"mẫu văn bản sai cú pháp Jinja ({exc.message})",
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise InputError.one(
            folder / name, "(mẫu)", exc.name, "không tìm thấy mẫu văn bản"
        ) from None
