"""What an office's input can mean, and so the bounds chidao holds it to (README, "Bounds").
Each is checked before anything is written, and refused in Vietnamese."""

from __future__ import annotations

MAX_INPUT_BYTES = 5 * 1024 * 1024  # a spec or a tree file
MAX_YAML_NODES = 200_000  # after aliases are expanded
MAX_WORD_BYTES = 50 * 1024 * 1024  # a Word file, uncompressed
MAX_WORD_PARAGRAPHS = 50_000
MAX_PDF_PAGES = 200  # a received letter with its appendices
FIRST_YEAR, LAST_YEAR = 2000, 2100  # issue, deadline and extension dates
MAX_WORKING_DAYS = 366  # in a deadline
MAX_LEAD_DAYS = 30  # how much earlier a unit's own units report
MAX_DEPTH = 6  # items within items
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
