"""The sandboxed Jinja environment in which templates/ turn a directive into document markup."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from models.cascade import Wording
from models.directive import item_label
from models.errors import InputError
from models.settings import settings
from models.vntext import long_date, roman, short_date

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


def folders(first: Path | None = None) -> tuple[Path, ...]:
    """Where templates are looked up, in order: FIRST (a command's --templates), else the
    office's own folder (CHIDAO_TEMPLATES); then chidao's own. A template of the same name in
    an earlier folder is used instead of chidao's, `{% extends %}` included."""
    own = first or settings().templates
    return (own.resolve(), TEMPLATES) if own and own.resolve() != TEMPLATES else (TEMPLATES,)


@cache
def environment(search: tuple[Path, ...]) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(list(search)),
        # Document markup escapes every value from data, so '&', '<', '"' cannot break a file;
        # wording (.txt.j2) is plain text, escaped where the markup prints it.
        autoescape=lambda name: bool(name and name.endswith(".xml.j2")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(
        rich=rich, roman=roman, item_label=item_label, short_date=short_date, long_date=long_date
    )
    return env


def template(name: str, search: tuple[Path, ...] | None = None) -> jinja2.Template:
    """Load and compile NAME; a broken template is the user's input error, named by line."""
    search = search or folders()
    try:
        return environment(search).get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or str(search[0] / name)
        raise InputError.one(
            where,
            f"dòng {exc.lineno}",
            exc.source.splitlines()[exc.lineno - 1].strip() if exc.source else None,
            f"mẫu văn bản sai cú pháp Jinja ({exc.message})",
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise InputError.one(
            search[0] / name, "(mẫu)", exc.name, "không tìm thấy mẫu văn bản"
        ) from None


def wording(name: str, search: tuple[Path, ...] | None = None) -> Wording:
    """The slots of wording template NAME (its macros) as one function: say(slot, **context)
    gives the slot's text on one line."""
    compiled = template(name, search)
    module = compiled.make_module()

    def say(slot: str, /, **context: object) -> str:
        macro = getattr(module, slot, None)
        if macro is None:
            raise InputError.one(
                compiled.filename or name, "(mẫu)", slot, "mẫu thiếu đoạn (macro) này"
            )
        try:
            return " ".join(str(macro(**context)).split())
        except jinja2.TemplateError as exc:
            raise InputError.one(
                compiled.filename or name, slot, type(exc).__name__, f"mẫu văn bản lỗi: {exc}"
            ) from None

    return say
