"""Import accuracy and speed on the labelled corpus (tests/imports/corpus, format in LABELS.md):
fields read right over fields labelled, per letter and per set — `dev`, the letters the reader
was developed against; `heldout` to `heldout-4`, written by people who never saw the reader,
each scored once before its misses were looked at — with the median time to read and import
each letter; then whether each example letter chidao renders reads back to a letter that
renders the same.

    .venv/bin/python bench/import_accuracy.py [--set dev|heldout|…|heldout-4|all] [-v]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.directive import Directive  # noqa: E402
from models.importing import import_letter, letter_spec  # noqa: E402
from models.letterfile import read_letter  # noqa: E402
from models.org import OrgTree  # noqa: E402
from renderer import render  # noqa: E402
from tests.imports.scoring import CORPUS, labelled, score  # noqa: E402

RUNS = 5


def _timed(path: Path, org: OrgTree) -> tuple[object, float]:
    """The import of PATH, and the median time to read and import it."""
    times = []
    imported = None
    for _ in range(RUNS):
        started = time.perf_counter()
        imported = import_letter(read_letter(path), org, "org.yaml", str(path))
        times.append(time.perf_counter() - started)
    return imported, statistics.median(times)


def _text(data: bytes, folder: Path) -> list[str]:
    import docx

    path = folder / "read.docx"
    path.write_bytes(data)
    return [p.text for p in docx.Document(str(path)).paragraphs]


def _corpus(name: str, verbose: bool) -> None:
    right = total = 0
    by_format: dict[str, list[float]] = defaultdict(list)
    print(f"Corpus {name} (fields right / labelled, median time to read and import):")
    for label in labelled(name):
        org = OrgTree.load(label.org)
        imported, seconds = _timed(label.file, org)
        result = score(label, imported, org)  # type: ignore[arg-type]
        right += result.right
        total += result.total
        by_format[label.file.suffix].append(seconds)
        print(f"  {label.name:32} {result.right:3}/{result.total:<3} {seconds * 1000:7.1f} ms")
        for wrong in result.wrong if verbose else []:
            print(f"      {wrong}")
    print(f"  {name}: {right}/{total} = {100 * right / max(total, 1):.1f} %")
    for suffix, times in sorted(by_format.items()):
        median = statistics.median(times) * 1000
        print(f"  {suffix:5} {len(times):2} letters, median {median:.1f} ms per letter")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sets = sorted(p.parent.name for p in CORPUS.glob("*/labels.yaml"))
    parser.add_argument("--set", choices=[*sets, "all"], default="all")
    parser.add_argument("-v", action="store_true", help="list the fields read wrong")
    args = parser.parse_args()
    for name in sets if args.set == "all" else [args.set]:
        _corpus(name, args.v)

    print("Example letters rendered by chidao, read back (.docx):")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for example in sorted((ROOT / "examples").glob("*.yaml")):
            original = Directive.load(example)
            letter = folder / f"{example.stem}.docx"
            letter.write_bytes(render(original).data)
            _, seconds = _timed(letter, original.org)
            imported = import_letter(read_letter(letter), original.org, original.spec.org)
            imported.spec.setdefault("issued_on", original.spec.issued_on.isoformat())
            back = Directive(letter_spec(imported.spec, original.org, letter), original.org, "")
            same = _text(render(back).data, folder) == _text(render(original).data, folder)
            verdict = "renders the same" if same else "DIFFERS"
            print(f"  {example.stem:24} {seconds * 1000:6.2f} ms  {verdict}")


if __name__ == "__main__":
    main()
