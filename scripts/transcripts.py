"""Every conversation as a reader meets it: one transcript per flow, in Dutch or English.

For peer workers who review the texts in context rather than key by key:

    .venv/bin/python scripts/transcripts.py nl > transcripts-nl.md
    .venv/bin/python scripts/transcripts.py en > transcripts-en.md

The person's lines are examples; the bot's lines are the texts as the gateway renders them,
with the buttons that come with them where the flow fixes them.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.texts import catalogue

Step = tuple[str, str, dict]  # ("person", text, {}) or ("bot", key, placeholders)

PEER = {"peer_name": "Anna", "ticket": 12}
FLOWS: dict[str, list[Step]] = {
    "First contact": [
        ("person", "hoi", {}),
        ("bot", "intro", {}),
        ("bot", "consent_ask", {}),
        ("person", "[Ja, dat is goed]", {}),
        ("bot", "consent_yes", {}),
        ("person", "/privacy", {}),
        ("bot", "privacy", {"retention_days": 90}),
    ],
    "Check-in": [
        ("person", "zullen we even inchecken?", {}),
        ("bot", "checkin_ask", {}),
        ("person", "[Alles is me te veel]", {}),
        ("bot", "phase_overwhelmed", {}),
        ("person", "[Het is zwaar nu]", {}),
        ("bot", "phase_struggling", {}),
        ("person", "[Wisselend, maar het lukt]", {}),
        ("bot", "phase_living_with", {}),
        ("person", "[Goed, ik maak plannen]", {}),
        ("bot", "phase_living_beyond", {}),
    ],
    "Something hopeful": [
        ("person", "ik voel me zo eenzaam", {}),
        ("bot", "feeling_heard", {}),
        ("person", "[Iets hoopvols]", {}),
        ("bot", "hope_intro", {}),
        ("bot", "hope_connectedness", {"variant": 2}),
    ],
    "The four questions": [
        ("person", "[Mijn krachten]", {}),
        ("bot", "strengths_intro", {}),
        ("bot", "sq_happened", {}),
        ("bot", "sq_strengths", {}),
        ("bot", "sq_goal", {}),
        ("bot", "sq_needs", {}),
        ("bot", "strengths_keep_ask", {}),
        ("bot", "strengths_kept", {}),
    ],
    "Stigma": [
        ("person", "[Stigma en oordelen]", {}),
        ("bot", "stigma_intro", {}),
        ("bot", "self_stigma", {}),
        ("bot", "stigma_words", {}),
        ("bot", "stigma_myths", {"variant": 0}),
        ("bot", "hurtful_remark", {}),
        ("person", "mijn psychiater ziet alleen mijn dossier", {}),
        ("bot", "stigma_in_care", {}),
    ],
    "Telling others": [
        ("person", "hoe vertel ik mijn baas dat ik een burn-out had?", {}),
        ("bot", "disclosure_intro", {}),
        ("bot", "disclosure_weigh", {}),
        ("bot", "disclosure_whom_what_when", {}),
        ("bot", "disclosure_how", {}),
        ("bot", "disclosure_choice", {}),
        ("bot", "disclosure_end", {}),
    ],
    "Naasten": [
        ("person", "mijn zoon heeft een psychose en ik weet niet hoe ik hem kan helpen", {}),
        ("bot", "naaste", {}),
        ("person", "[Steunen, niet overnemen]", {}),
        ("bot", "naaste_support", {}),
        ("person", "[Steun voor mezelf]", {}),
        ("bot", "naaste_own", {}),
    ],
    "When recovery is not a straight line": [
        ("person", "het ging zo goed en nu weer mis", {}),
        ("bot", "setback", {}),
        ("person", "mijn vader is vorige maand overleden", {}),
        ("bot", "loss_grief", {}),
        ("person", "ik heb steeds flashbacks", {}),
        ("bot", "trauma", {}),
        ("person", "herstel is niks voor mij", {}),
        ("bot", "recovery_doubt", {}),
    ],
    "What is recovery": [
        ("person", "[Wat is herstel?]", {}),
        ("bot", "recovery_intro", {}),
        *[
            ("bot", f"explain_{topic}", {})
            for topic in (
                "personal_recovery",
                "clinical_recovery",
                "ervaringsdeskundigheid",
                "wrap",
                "herstelgroep",
                "herstelacademie",
                "zelfregiecentrum",
            )
        ],
    ],
    "A peer worker": [
        ("person", "kan ik met een mens praten?", {}),
        ("bot", "handoff_waiting_offline", {"next_shift": "op werkdagen"}),
        ("bot", "handoff_claimed", PEER),
        ("bot", "handoff_returned", PEER),
        ("bot", "handoff_closed", {}),
        (
            "peer",
            "peer_alert",
            {
                **PEER,
                "urgency_label": "Nieuw",
                "language": "nl",
                "reason_label": "vraagt om een ervaringsdeskundige",
                "transcript": "Persoon: kan ik met een mens praten?",
            },
        ),
        ("peer", "peer_claim_won", PEER),
        ("peer", "peer_duty_off", {}),
    ],
    "Erasing": [
        ("person", "/vergeetmij", {}),
        ("bot", "erase_confirm", {}),
        ("bot", "erase_done", {}),
    ],
}


def transcript(language: str) -> str:
    """All flows as Markdown, each line marked with its text key."""
    texts = catalogue()
    lines = [f"# Herstelgids transcripts ({language})", ""]
    for title, steps in FLOWS.items():
        lines += [f"## {title}", ""]
        for speaker, value, args in steps:
            if speaker == "person":
                lines.append(f"> **person:** {value}")
            else:
                args = dict(args)
                variant = args.pop("variant", 0)
                text = texts.say(value, language, variant=variant, **args)
                quoted = "\n> ".join(text.splitlines())
                lines.append(f"> **{speaker}** (`{value}`): {quoted}")
            lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(transcript(sys.argv[1] if len(sys.argv) > 1 else "nl"))
