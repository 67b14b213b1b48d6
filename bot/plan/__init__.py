"""The person's own signaleringsplan, built in conversation by the gateway.

The plan is built by a guided flow in the gateway, not by a Rasa form, so the answers never
reach Rasa's tracker: they are stored only here, encrypted at rest.

- `steps`: the eight steps, in order.
- `vault`: encryption (Fernet, key from PLAN_ENCRYPTION_KEY) and the keyword-only data functions.
- `signs`: the person's early warning signs, normalised and matched against a message.
- `pdf`: the plan as an A4 PDF in the person's language.
- `flow`: what the gateway calls (commands, buttons, an open step), with `moments` (after a
  crisis, an early sign) and `sharing` (showing the plan to a peer, on the person's yes).
- `feature`: its declaration for the router and privacy (bot.features).
"""

from __future__ import annotations

STEPS: tuple[str, ...] = (
    "well",  # what keeps me well (daily things)
    "triggers",  # what can throw me off
    "signs",  # my early warning signs
    "actions",  # what I do then
    "serious",  # signs that it is getting serious
    "others",  # what I want others to do then
    "people",  # people I can call (name and number, typed by the person)
    "never",  # what I never want
)
MAX_ANSWER_CHARS = 1500
