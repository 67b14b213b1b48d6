"""The plan as a tidy A4 PDF (fpdf2) in the person's language.

fpdf2 ships no Unicode font, so DejaVu Sans is taken from matplotlib (a dependency of Rasa, so
present wherever the gateway runs) or from the system; with neither, the core font Helvetica is
used and text outside Latin-1 is simplified (ë and é are Latin-1 and stay). Empty steps get
lines to write on by hand, so the printout can be finished with a pen.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from fpdf import FPDF

from bot.plan import STEPS

if TYPE_CHECKING:
    from bot.texts import Catalogue

SYSTEM_FONTS = Path("/usr/share/fonts/truetype/dejavu")
_SIMPLER = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "…": "...",
        "•": "-",
        "\u00a0": " ",
    }
)


@lru_cache(maxsize=1)
def dejavu() -> tuple[Path, Path] | None:
    """Regular and bold DejaVu Sans, if this machine has them."""
    places = [SYSTEM_FONTS]
    spec = importlib.util.find_spec("matplotlib")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            places.insert(0, Path(location) / "mpl-data" / "fonts" / "ttf")
    for place in places:
        regular, bold = place / "DejaVuSans.ttf", place / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            return regular, bold
    return None


class _Document(FPDF):
    def __init__(self, footer_text: str, unicode_font: bool) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.family = "Helvetica"
        fonts = dejavu() if unicode_font else None
        if fonts is not None:
            self.add_font("DejaVu", "", str(fonts[0]))
            self.add_font("DejaVu", "B", str(fonts[1]))
            self.family = "DejaVu"
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(auto=True, margin=20)

    def clean(self, text: str) -> str:
        if self.family == "DejaVu":
            return text
        return text.translate(_SIMPLER).encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(self.family, "", 8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, self.clean(f"{self.footer_text}  ·  {self.page_no()}/{{nb}}"), align="C")


def render(
    answers: dict[str, str],
    language: str,
    texts: Catalogue,
    *,
    updated: dt.date | None = None,
    unicode_font: bool = True,
) -> bytes:
    """The plan as PDF bytes; `answers` maps step to the person's own words."""
    pdf = _Document(texts.say("plan_pdf_footer", language), unicode_font)
    pdf.set_title(texts.say("plan_pdf_title", language))
    pdf.set_creator("Herstelgids")
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.epw
    pdf.set_font(pdf.family, "B", 18)
    pdf.set_text_color(30, 70, 90)
    pdf.multi_cell(width, 9, pdf.clean(texts.say("plan_pdf_title", language)))
    pdf.set_font(pdf.family, "", 10)
    pdf.set_text_color(90, 90, 90)
    intro = texts.say("plan_pdf_intro", language)
    if updated is not None:
        intro += "\n" + texts.say("plan_pdf_updated", language, date=updated.strftime("%d-%m-%Y"))
    pdf.multi_cell(width, 5, pdf.clean(intro))
    pdf.ln(3)
    for number, step in enumerate(STEPS, start=1):
        answer = answers.get(step, "").strip()
        needed = 12 + (5.5 * min(answer.count("\n") + 1, 4) if answer else 24)
        if pdf.will_page_break(needed):
            pdf.add_page()
        pdf.set_draw_color(180, 200, 210)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
        pdf.ln(2)
        pdf.set_font(pdf.family, "B", 12)
        pdf.set_text_color(30, 70, 90)
        heading = f"{number}. {texts.say(f'plan_heading_{step}', language)}"
        pdf.multi_cell(width, 7, pdf.clean(heading))
        pdf.set_font(pdf.family, "", 11)
        pdf.set_text_color(20, 20, 20)
        if answer:
            pdf.multi_cell(width, 5.5, pdf.clean(answer))
        else:
            pdf.set_draw_color(205, 205, 205)
            for _ in range(3):
                pdf.ln(7)
                pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
        pdf.ln(4)
    return bytes(pdf.output())
