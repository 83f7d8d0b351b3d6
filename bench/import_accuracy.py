"""Import accuracy and speed: fields read right over fields labelled, on the labelled set of
tests/imports/labels.yaml (the three seeds and the variants, labelled by reading them), and
whether each example letter chidao renders reads back to a letter that renders the same.

    .venv/bin/python bench/import_accuracy.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from models.directive import Directive  # noqa: E402
from models.importing import import_letter, letter_spec, stated_fields  # noqa: E402
from models.letterfile import read_letter  # noqa: E402
from models.org import OrgTree  # noqa: E402
from renderer import render  # noqa: E402

IMPORTS = ROOT / "tests" / "imports"
RUNS = 20


def _timed(path: Path, org: OrgTree) -> tuple[dict[str, str], float]:
    """The fields read from PATH, and the median time to read and import it."""
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        imported = import_letter(read_letter(path), org, "org.yaml")
        times.append(time.perf_counter() - started)
    return stated_fields(imported.spec), statistics.median(times)


def _text(data: bytes, folder: Path) -> list[str]:
    import docx

    path = folder / "read.docx"
    path.write_bytes(data)
    return [p.text for p in docx.Document(str(path)).paragraphs]


def main() -> None:
    labels = yaml.safe_load((IMPORTS / "labels.yaml").read_text(encoding="utf-8"))
    right = total = 0
    print("Labelled letters (fields right / fields labelled, median time to read and import):")
    for name, label in labels.items():
        source = (IMPORTS / label["file"]).resolve()
        if not source.exists():
            print(f"  {name:18} skipped: {source} is not here")
            continue
        org = OrgTree.load((IMPORTS / label["org"]).resolve())
        read, seconds = _timed(source, org)
        good = sum(read.get(path) == str(value) for path, value in label["fields"].items())
        right += good
        total += len(label["fields"])
        wrong = [p for p, v in label["fields"].items() if read.get(p) != str(v)]
        shown = f"  wrong: {', '.join(wrong)}" if wrong else ""
        print(
            f"  {name:18} {good:3}/{len(label['fields']):<3} {seconds * 1000:6.2f} ms  "
            f"{source.suffix}{shown}"
        )
    if total:
        print(f"  all                {right}/{total} = {100 * right / total:.1f} %")

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
