"""Render the seed-000 công văn N times and compare with docxtpl on an equivalent template.

Prints the median (and p95) milliseconds per document for chidao, the same for docxtpl, and
their ratio. The docxtpl template is chidao's own output for the same letter with every text
field replaced by a Jinja tag, so both produce the same layout and the same words.

    .venv/bin/python bench/render.py [--runs 1000] [--peer-runs 100]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
from docxtpl import DocxTemplate  # noqa: E402  (benchmark peer only)

from models.directive import Directive  # noqa: E402
from renderer import render, render_directive  # noqa: E402

SPEC = ROOT / "examples" / "quang-ngai-2268.yaml"


def _timed(runs: int, work: object) -> list[float]:
    assert callable(work)
    times = []
    for i in range(runs):
        start = time.perf_counter()
        work(i)
        times.append((time.perf_counter() - start) * 1000)
    return times


def _summary(times: list[float]) -> str:
    p95 = statistics.quantiles(times, n=20)[-1]
    return f"median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms ({len(times)} runs)"


def _text(path: Path) -> list[str]:
    document = docx.Document(str(path))
    cells = [p.text for t in document.tables for c in t._cells for p in c.paragraphs]
    return [p.text for p in document.paragraphs] + cells


def _tagged(directive: Directive) -> tuple[Directive, dict[str, str]]:
    """The same letter with its text fields as docxtpl tags, and the context that fills them."""
    spec = directive.spec
    context = {"subject": spec.subject, "preamble": directive.preamble()[0]}
    items = []
    for i, item in enumerate(spec.items):
        key = f"item{i}"
        context[key] = directive.item_text(item).replace("**", "")
        subs = []
        for j, sub in enumerate(item.items):
            context[f"{key}_{j}"] = directive.item_text(sub, item.deadline).replace("**", "")
            subs.append(sub.model_copy(update={"text": f"{{{{ {key}_{j} }}}}", "deadline": None}))
        items.append(
            item.model_copy(update={"text": f"{{{{ {key} }}}}", "items": subs, "deadline": None})
        )
    tagged = spec.model_copy(
        update={"subject": "{{ subject }}", "preamble": ["{{ preamble }}"], "items": items}
    )
    return Directive(tagged, directive.org, "bench"), context


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--peer-runs", type=int, default=100)
    args = parser.parse_args()

    directive = Directive.load(SPEC)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        render_directive(directive, out / "warm-up.docx")
        ours = _timed(args.runs, lambda i: render_directive(directive, out / f"cv-{i}.docx"))
        in_memory = _timed(args.runs, lambda i: render(directive).data)

        tagged, context = _tagged(directive)
        template_path = render_directive(tagged, out / "template.docx")

        def peer(i: int) -> None:
            document = DocxTemplate(str(template_path))
            document.render(context)
            document.save(str(out / f"peer-{i}.docx"))

        peer(-1)
        theirs = _timed(args.peer_runs, peer)
        same = _text(out / "peer--1.docx") == _text(out / "warm-up.docx")

    print("Render of Công văn 2268/UBND-TTHC (seed 000), one document per run")
    print(f"  chidao, to .docx file  : {_summary(ours)}")
    print(f"  chidao, bytes in memory: {_summary(in_memory)}")
    print(f"  docxtpl, to .docx file : {_summary(theirs)}")
    ratio = statistics.median(theirs) / statistics.median(ours)
    print(f"  ratio docxtpl / chidao : {ratio:.1f}x (goal: chidao <= 5 ms per document)")
    print(f"  same text in both      : {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
