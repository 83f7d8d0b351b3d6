"""Data can never break a document, templates cannot reach outside their sandbox, and output file
names are safe whatever the document number says."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
import yaml

from chidao.cli import main
from models.directive import Directive
from renderer import render_directive
from renderer.package import safe_filename
from renderer.templating import TEMPLATES
from tests.conftest import EXAMPLES, docx_text

HOSTILE = 'Sở "Khoa học" & <Công nghệ> </w:t></w:r> ]]> {{ 7+7 }}'


def _hostile_spec(tmp_path: Path) -> Path:
    """The Quảng Ngãi example with markup-like text in a unit name, the subject and an item."""
    org = yaml.safe_load((EXAMPLES / "org" / "quang-ngai.yaml").read_text())
    next(u for u in org["units"] if u["code"] == "qng.skhcn")["name"] = HOSTILE
    (tmp_path / "org.yaml").write_text(yaml.safe_dump(org, allow_unicode=True))
    spec = yaml.safe_load((EXAMPLES / "quang-ngai-2268.yaml").read_text())
    spec.update(org="org.yaml", subject=HOSTILE)
    spec["recipients"].append("qng.skhcn")
    spec["items"][0]["text"] = (
        f"Nội dung {HOSTILE} **đậm** *nghiêng* ***cả hai*** *lệch **dấu* sao** 5 * 3"
    )
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True))
    return path


def test_markup_in_data_is_printed_literally(tmp_path: Path) -> None:
    out = render_directive(Directive.load(_hostile_spec(tmp_path)), tmp_path / "out.docx")
    text = docx_text(out)
    assert f"V/v {HOSTILE}" in text
    assert f"- {HOSTILE}." in text  # the recipient line
    assert "{{ 7+7 }}" in text and "14" not in text
    runs = [r for p in docx.Document(str(out)).paragraphs for r in p.runs]
    assert any(r.text == "đậm" and r.bold for r in runs)
    assert any(r.text == "nghiêng" and r.italic for r in runs)
    assert any(r.text == "cả hai" and r.bold and r.italic for r in runs)
    # Marks that do not pair up are text, not a broken document.
    assert any("*lệch *dấu sao** 5 * 3" in p.text for p in docx.Document(str(out)).paragraphs)


def _templates_with(tmp_path: Path, broken: str) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    (folder / "cong_van.xml.j2").write_text(broken)
    return folder


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ('{% extends "_base.xml.j2" %}\n{% block body %}\n{% if %}\n{% endblock %}', "dòng 3"),
        ("<document>{{ d.__class__.__mro__ }}</document>", "mẫu văn bản lỗi"),
        ("<document>{{ khong_co.ten }}</document>", "mẫu văn bản lỗi"),
        ("<document><p>không đóng thẻ</document>", "mẫu văn bản lỗi"),
        ("<document><script/></document>", "<script>"),
    ],
)
def test_a_broken_or_hostile_template_is_refused_naming_it(
    template: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _templates_with(tmp_path, template)
    out = tmp_path / "out" / "x.docx"
    spec = EXAMPLES / "quang-ngai-2268.yaml"
    code = main(["render", str(spec), "-o", str(out), "--templates", str(folder)])
    err = capsys.readouterr().err
    assert code == 2
    assert "cong_van.xml.j2" in err and message in err
    assert not out.parent.exists()


@pytest.mark.parametrize(
    ("number", "name"),
    [
        ("2268/UBND-TTHC", "2268-UBND-TTHC.docx"),
        ("../../etc/passwd", "etc-passwd.docx"),
        (".hidden", "hidden.docx"),
        ("Số 12/QĐ-UBND", "So-12-QD-UBND.docx"),
        ("///", "van-ban.docx"),
    ],
)
def test_file_names_from_document_numbers_are_safe(number: str, name: str) -> None:
    assert safe_filename(number) == name


def test_a_failed_render_leaves_an_existing_file_untouched(tmp_path: Path) -> None:
    out = tmp_path / "x.docx"
    out.write_bytes(b"previous")
    folder = _templates_with(tmp_path, "<document>{{ khong_co.ten }}</document>")
    spec = EXAMPLES / "quang-ngai-2268.yaml"
    assert main(["render", str(spec), "-o", str(out), "--templates", str(folder)]) == 2
    assert out.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
