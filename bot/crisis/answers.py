"""A typed answer to the direct safety question counts like its button.

"ja", "ja eigenlijk wel", "yes" take the full crisis path; "nee hoor", "no I'm ok" do not. Anything
else is an ordinary message (it still goes through every crisis layer itself).
"""

from __future__ import annotations

import re

from bot.crisis.rules import normalise

_YES = re.compile(
    r"^(?:ja+|jawel|jep|jup|yes+|yeah|yep|yup|ya|klopt|dat klopt|eigenlijk wel|wel|"
    r"ik denk het|denk het wel|i think so|i do|i am|sort of|kind of|a bit|een beetje|soms|"
    r"misschien|maybe)\b"
)
_NO = re.compile(
    r"^(?:nee+|neen|nope|no+|nah|nein|niet echt|not really|helemaal niet|echt niet|"
    r"absoluut niet|zeker niet|of course not|natuurlijk niet|i m ok|i am ok|im ok|gaat wel)\b"
)


def typed_answer(text: str) -> bool | None:
    """True for yes, False for no, None when the message is not an answer to the question."""
    words = normalise(text)
    if _NO.match(words):
        return False
    if _YES.match(words):
        return True
    return None
