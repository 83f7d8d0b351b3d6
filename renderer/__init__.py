"""How documents look: chidao's document markup laid out as an ND 30/2020 Word draft."""

from renderer.render import Figure, Rendered, default_filename, render, render_directive
from renderer.templating import folders, wording

__all__ = [
    "Figure",
    "Rendered",
    "default_filename",
    "folders",
    "render",
    "render_directive",
    "wording",
]
