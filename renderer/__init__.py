"""How documents look: chidao's document markup laid out as an ND 30/2020 Word draft."""

from renderer.render import default_filename, render_bytes, render_directive, safe_filename

__all__ = ["default_filename", "render_bytes", "render_directive", "safe_filename"]
