"""Rule-based crisis detection that runs in the gateway before any ML model.

A message that may signal suicide, self-harm or acute danger must get crisis information in
the same turn, even when Rasa is down. This module therefore depends on nothing but the
standard library, and every decision can be traced to a named, commented pattern.

Design, in the order a message goes through it:

1. **Normalise** (:func:`normalise`): lowercase, strip diacritics (NFKD), expand contractions
   and chat spelling ("im", "wanna", "'k", "m'n", "nie"), fold leetspeak inside words
   ("su1c1de", "k1ll"), fold common typos ("sucide", "zelfmord"), squeeze letters repeated
   three or more times, turn punctuation into spaces and collapse whitespace.
2. **Split into clauses** on sentence punctuation and on turning words ("maar", "but",
   "nu", "now"). Clauses are joined with newlines: phrase patterns still match across them
   (a newline is whitespace), while ``$`` marks the end of a clause.
3. **Exclusions**, which err on the side of safety:

   * a clause told as the distant past ("vroeger", "used to", "years ago", "clean for
     3 years") is dropped, unless the message says it is happening again ("weer", "again",
     "still", "terugval"). Weaker past markers ("ooit", "at 19", "in 2015") drop a clause
     only when the message also says the person is doing well now and the clause names no
     recent time ("vandaag", "last night");
   * a clause that reports news or fiction ("las in de krant dat...", "saw on the news a
     man...") is dropped when nothing in it is about the writer;
   * idioms ("ik lach me dood", "dying to see", "I'd kill for a coffee"), laughing hyperbole
     with a trivial cause ("so hungover i wanna die 😂"), explicit negations ("ik ben niet
     suïcidaal", "I would never hurt myself"), medication taken as prescribed, crisis words
     tied to a third person ("een vriend die aan zelfmoord denkt", "my sister self-harms",
     "de zelfmoord van mijn oom") and talk about the topic ("een film over zelfmoord") are
     masked out.

   Masking removes only the matched span, so "ik lach me dood, maar eigenlijk wil ik dood"
   still fires.
4. **Category patterns**, Dutch (including Flemish spellings) and English side by side. The
   first category in priority order wins; the name of the pattern that fired is reported,
   never the user's text.
5. **Indirect signals**: veiled phrasings ("mijn testament ligt klaar", "if I don't reply
   tomorrow you know why", "soon it won't matter anymore"), and a loss or despair context
   together with a question that seeks means ("lost my job, what are the tallest bridges
   in Amsterdam?").

6. **The broad net** (`bot.crisis.broad`): a danger concept near a marker of intent
   or time, for phrasings no named pattern expected (measured on blind held-out sets).

Every pattern carries *needles*: substrings that any match of it must contain. A regular
expression runs only when one of its needles occurs in the prepared text, which keeps a
500-character message well under a millisecond. ``tests/test_crisis.py`` checks that each
match span contains one of its pattern's needles.

The bar is recall first: when in doubt between a real risk and a false alarm, a pattern
fires. A false alarm costs one kind reply with the crisis lines; a miss can cost a life.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.crisis.broad import broad_signal

__all__ = ["CATEGORIES", "NAMES_THE_TOPIC", "CrisisSignal", "detect_crisis", "normalise"]

# Priority order: when several categories match, the first one is reported.
CATEGORIES: tuple[str, ...] = (
    "overdose",
    "danger_from_other",
    "command_hallucination",
    "plan_or_means",
    "self_harm",
    "suicidal",
    "goodbye",
    "burden",
    "indirect",
)

# Patterns that fire on the word alone ("zelfmoord", "self-harm"): the word is as common in a
# series, a course or a recovered past as in danger, so with a calm model it gets the question
# (bot.crisis.assess.decide). Overdose words stay out: an overdose taken needs 112 at once.
NAMES_THE_TOPIC: frozenset[str] = frozenset({"suicide_word", "self_harm_noun"})
# The co-occurrence nets (a danger word near a word of intent or time, despair near a question
# about means) are guesses by design: with a calm model they get the question too.
NETS = ("broad:", "despair_plus_means_question")


@dataclass(frozen=True)
class CrisisSignal:
    """A detected crisis signal.

    Attributes:
        category: One of :data:`CATEGORIES`.
        pattern: Name of the pattern that fired (for tests and evaluation output); it
            never contains the user's text.
    """

    category: str
    pattern: str

    @property
    def doubtful(self) -> bool:
        """Whether this rule alone is a doubt rather than a sign: the topic named, or a net."""
        return self.pattern in NAMES_THE_TOPIC or self.pattern.startswith(NETS)


# ============================================================================================
# 1. Normalisation
# ============================================================================================

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
# Laughing emoji are kept as a word: together with a trivial cause they mark hyperbole
# ("so hungover i wanna die 😂").
_LAUGHING = str.maketrans(dict.fromkeys("\U0001f602\U0001f923\U0001f606\U0001f605\U0001f639",
                                        " haha "))

# Contractions are expanded while the apostrophe is still there, so "I'll" (I will) is not
# confused with "ill", and Dutch "zie't" does not become the word "ziet".
_CONTRACTION_RE = re.compile(
    r"\b(?:can|won|ain)'t\b|n't\b|\bi'm\b|'(?:re|ve|ll|d)\b"
    r"|\b(?:he|she|it|that|what|there|who|everything|nothing|life)'s\b"
    r"|(?:(?<=\s)|^)'k\b|'t\b|\b(?:m'n|m'ne|z'n|d'r|zo'n)\b|'"
)
_CONTRACTIONS: dict[str, str] = {
    "can't": "can not", "won't": "will not", "ain't": "is not", "n't": " not",
    "i'm": "i am", "'re": " are", "'ve": " have", "'ll": " will", "'d": " would",
    # Dutch and Flemish clitics: 'k wil, zie 't, m'n, z'n, d'r, zo'n.
    "'k": "ik", "'t": " het", "m'n": "mijn", "m'ne": "mijn", "z'n": "zijn", "d'r": "haar",
    "zo'n": "zo een", "'": "",
}

# Leetspeak is folded only inside a token that starts with a letter ("k1ll", "su1c1de"),
# so numbers such as "113", "3 jaar" or "20 pills" keep their meaning.
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"})
_LEET_TOKEN = re.compile(r"\b[a-z][a-z0-9]*\d[a-z0-9]*\b")
_SYMBOL_IN_WORD = re.compile(r"(?<=[a-z])[!@$](?=[a-z])|(?<![a-z0-9])\$(?=[a-z])")
_SYMBOLS = {"!": "i", "@": "a", "$": "s"}
_NON_WORD = re.compile(r"[^a-z0-9]+")
_NON_WORD_KEEP_BREAKS = re.compile(r"[^a-z0-9\n]+")
_REPEATS = re.compile(r"([a-z])\1{2,}")

# Clause breaks: sentence punctuation, commas, an ellipsis, a dash between spaces.
_CLAUSE_BREAK = re.compile(r"[.?!;:\n,]+|\s[-\u2013\u2014]+\s")
# Turning words start a new clause ("vroeger wilde ik dood nu gaat het goed").
_TURN = re.compile(
    r"\s+(?=(?:maar|but|nu|now|however|though|although|toch|tegenwoordig|nowadays|"
    r"sindsdien|inmiddels)\b)"
)

# Whole-token chat spelling, contractions typed without apostrophe, and frequent typos.
_TOKEN_MAP: dict[str, str] = {
    # English contractions without apostrophe ("ill", "id", "its" are ambiguous: left alone).
    "im": "i am", "ive": "i have", "dont": "do not", "doesnt": "does not",
    "didnt": "did not", "cant": "can not", "cannot": "can not", "wont": "will not",
    "isnt": "is not", "arent": "are not", "wasnt": "was not", "werent": "were not",
    "havent": "have not", "hasnt": "has not", "wouldnt": "would not",
    "couldnt": "could not", "shouldnt": "should not", "aint": "is not",
    "youre": "you are", "theyre": "they are", "hes": "he is", "shes": "she is",
    "thats": "that is", "whats": "what is", "theres": "there is", "youll": "you will",
    "theyll": "they will", "itll": "it will", "youve": "you have", "theyve": "they have",
    # English chat spelling.
    "wanna": "want to", "wana": "want to", "wnna": "want to", "gonna": "going to",
    "gona": "going to", "gotta": "got to", "imma": "i am going to",
    "ima": "i am going to", "tryna": "trying to", "u": "you", "ur": "your",
    "rn": "right now", "bc": "because", "cuz": "because", "coz": "because",
    "ppl": "people", "noone": "no one", "alot": "a lot",
    # English typos of the words that matter most.
    "suicde": "suicide", "sucide": "suicide", "suiside": "suicide", "suicid": "suicide",
    "sucidal": "suicidal", "suicdal": "suicidal", "suisidal": "suicidal",
    "myslef": "myself", "mysef": "myself", "mysefl": "myself", "mself": "myself",
    "meself": "myself", "kil": "kill", "kiling": "killing", "selfharm": "self harm",
    "selfharming": "self harming", "selfharmed": "self harmed",
    # Dutch and Flemish chat spelling ("kzie", "nie", "mn", "gwn").
    "k": "ik", "kwil": "ik wil", "kben": "ik ben", "kheb": "ik heb", "kga": "ik ga",
    "kzie": "ik zie", "kkan": "ik kan", "kweet": "ik weet", "kvoel": "ik voel",
    "kdenk": "ik denk", "kmoet": "ik moet", "kwou": "ik wou", "kzou": "ik zou",
    "khoop": "ik hoop", "ksnij": "ik snij", "kdoe": "ik doe", "kwilde": "ik wilde",
    "mn": "mijn", "zn": "zijn", "nie": "niet", "ni": "niet", "nt": "niet", "t": "het",
    "da": "dat", "wl": "wil", "gwn": "gewoon", "mzelf": "mezelf", "mezelve": "mezelf",
    "mijzelve": "mijzelf", "niks": "niets", "leve": "leven", "worde": "worden",
    "slape": "slapen", "stoppe": "stoppen", "springe": "springen",
    # Dutch typos.
    "zelfmord": "zelfmoord", "zelmoord": "zelfmoord", "zefmoord": "zelfmoord",
    "zelfmoort": "zelfmoord", "zelfmoordt": "zelfmoord", "zlfmoord": "zelfmoord",
    "suisidaal": "suicidaal", "sucidaal": "suicidaal",
}

# Multi-word spellings folded to one form; each runs only when its needle occurs.
_PHRASES: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (needle, re.compile(pattern), replacement)
    for needle, pattern, replacement in (
        ("zelf ", r"\bzelf (moord|doding|beschadig|verwond|mutilatie)", r"zelf\1"),
        ("any more", r"\bany more\b", "anymore"),
        ("my self", r"\bmy self\b", "myself"),
        ("dood gaan", r"\bdood gaan\b", "doodgaan"),
        ("un alive", r"\bun alive", "unalive"),
        (" 2", r"\b(want|going|have|need|ready|about|wish) 2\b", r"\1 to"),
    )
)
_HAS_DIGIT = re.compile(r"\d")


def _expand_contraction(match: re.Match[str]) -> str:
    text = match.group(0)
    return _CONTRACTIONS.get(text) or text[:-2] + " is"  # the only other case: "he's"


def _normalise(text: str, *, keep_breaks: bool) -> str:
    """Normalise text; with ``keep_breaks`` clause breaks become newlines."""
    text = unicodedata.normalize("NFKD", text.lower().translate(_APOSTROPHES))
    if not text.isascii():
        text = "".join(ch for ch in text.translate(_LAUGHING) if not unicodedata.combining(ch))
    if "'" in text:
        text = " ".join(
            _CONTRACTION_RE.sub(_expand_contraction, token) if "'" in token else token
            for token in text.split(" ")
        )
    if "!" in text or "@" in text or "$" in text:
        text = _SYMBOL_IN_WORD.sub(lambda m: _SYMBOLS[m.group(0)], text)
    if keep_breaks:
        text = _NON_WORD_KEEP_BREAKS.sub(" ", _CLAUSE_BREAK.sub("\n", text))
    else:
        text = _NON_WORD.sub(" ", text)
    if _HAS_DIGIT.search(text):
        text = _LEET_TOKEN.sub(lambda m: m.group(0).translate(_LEET), text)
    text = _REPEATS.sub(r"\1\1", text)
    lines = (" ".join(_TOKEN_MAP.get(token, token) for token in line.split())
             for line in text.split("\n"))
    text = "\n".join(line for line in lines if line)
    for needle, pattern, replacement in _PHRASES:
        if needle in text:
            text = pattern.sub(replacement, text)
    return text


def normalise(text: str) -> str:
    """Normalise a message for pattern matching.

    Lowercases, strips diacritics (NFKD), expands contractions and chat spelling, folds
    leetspeak inside words and common typos, squeezes letters repeated three or more
    times to two, turns punctuation into spaces and collapses whitespace.

    Args:
        text: The raw message.

    Returns:
        Lowercase ASCII words separated by single spaces.
    """
    return _normalise(text, keep_breaks=False)


# ============================================================================================
# 2. Shared vocabulary (regex fragments over normalised text)
# ============================================================================================

# "op" as in "ze zijn op" (all taken), not the preposition: "32 graden op mn kamer", "de
# training van 113 gevolgd op mijn werk" read as pills taken until this was added.
_NOT_OP_PLACE = (
    r"(?! (?:mijn|mn|de|het|een|zijn|haar|hun|ons|onze|uw|je|jouw|jullie|die|dat|deze|dit|"
    r"school|werk|kantoor|straat|bezoek|vakantie|reis|tv|televisie|internet|insta|instagram|"
    r"tiktok|youtube|netflix|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|\d+)\b)"
)
# Words that negate; gaps inside patterns may not swallow them ("ik zou mezelf nooit iets
# aandoen" must not read as "mezelf ... iets aandoen").
_NEG = r"(?:niet|nooit|geen|niets|not|never|no|nobody|niemand)"
# One word that is not a negation, plus the whitespace after it.
_W = rf"(?:(?!{_NEG}\b)\w+\s+)"
# Fillers allowed between a verb and its complement ("ik wil gewoon echt dood").
_FILL_NL = (
    r"(?:gewoon|echt|eigenlijk|soms|zo|ook|liever|weer|graag|nu|vandaag|vannacht|morgen|"
    r"alleen|maar|nog|het liefst|liefst|heel graag|zo graag|dan|toch|al|wel|steeds|vaak|"
    r"elke dag|iedere dag|even|nou|heel erg|zo erg|allang|opnieuw|al\s+jaren|al\s+maanden|"
    r"al\s+weken|al\s+\w+\s+(?:jaar|maanden|weken)|al\s+(?:heel\s+)?lang|al\s+tijden)"
)
_FILL_EN = (
    r"(?:just|really|honestly|kinda|kind of|sort of|sometimes|still|also|actually|so|"
    r"literally|seriously|genuinely|fucking|fuckin|truly|often|always|lowkey|rather|even|"
    r"almost|constantly|again|now|today|tonight|badly|simply|only|all|do)"
)
_SELF_NL = r"(?:mezelf|mijzelf|me|mij)"
_PILLS = (
    r"(?:pillen|pil|pilletjes|tabletten|tablet|medicijnen|medicijn|medicatie|slaappillen|"
    r"antidepressiva|pijnstillers|paracetamol|paracetamols|ibuprofen|oxazepam|lorazepam|"
    r"temazepam|diazepam|alprazolam|seroquel|quetiapine|lithium|oxycodon|oxycodone|"
    r"tramadol|morfine|morphine|insuline|insulin|pills|pill|tablets|meds|medication|"
    r"medications|medicine|sleeping pills|antidepressants|painkillers|tylenol|aspirin|"
    r"xanax|benzos|opioids|opiates|fentanyl|codeine|oxy|sertraline|citalopram|prozac)"
)
_PILL_NEEDLES = (
    "pil", "tablet", "medic", "antidepress", "pijnstill", "painkill", "paracetamol",
    "ibuprofen", "azepam", "alprazolam", "seroquel", "quetiapine", "lithium", "oxy",
    "tramadol", "morfine", "morphine", "insulin", "meds", "tylenol", "aspirin", "xanax",
    "benzos", "opioids", "opiates", "fentanyl", "codeine", "sertraline", "citalopram", "prozac",
)
_SUICIDE_NL = r"(?:zelfmoord(?!aanslag|terror|commando|actie|missie|bom)\w*|zelfdoding\w*)"
# "suicide", "suicidal", "suicidaal" and typos such as "suicde", "sucide", "suiside".
_SUICIDE_EN = r"(?:s[uo]i?[cs]i{0,2}d(?:e|es|al|ality|aal|ale|aliteit)?\b)"
_SUICIDE_NEEDLES = ("zelfmoord", "zelfdoding", "sui", "suc", "sus", "soi", "soc", "sos")
_SELF_HARM_NOUN = (
    r"(?:zelfbeschadig\w*|zelfverwond\w*|automutilatie|self\s+harm\w*|self\s+injur\w*|"
    r"self\s+mutilat\w*)"
)
_SELF_HARM_NEEDLES = ("zelfbeschadig", "zelfverwond", "automutilatie", "self")

# Someone other than the writer: relatives, friends, clients, pronouns, "iemand".
_OTHER = (
    r"(?:(?:mijn|m|onze|ons|haar|zijn|een|de|die|my|our|her|his|a|the|your|je|jouw)\s+)?"
    r"(?:beste\s+|best\s+|oude\s+|old\s+)?"
    r"(?:vriend|vriendin|vriendje|vriendinnetje|vrienden|zus|zusje|broer|broertje|moeder|"
    r"mama|mam|vader|papa|pap|ouders|zoon|zoontje|dochter|dochtertje|kindje|kinderen|"
    r"partner|echtgenoot|echtgenote|collega|client|clienten|patient|patienten|leerling|"
    r"leerlingen|buurman|buurvrouw|neef|nicht|oom|tante|opa|oma|schoonmoeder|"
    r"schoonvader|huisgenoot|kennis|klasgenoot|tiener|jongeren|friend|friends|bestie|"
    r"sister|brother|mother|mom|mum|father|dad|parents?|son|daughter|child|children|kids?|"
    r"husband|wife|boyfriend|girlfriend|colleague|coworker|clients?|patients?|students?|"
    r"neighbou?r|cousin|uncle|aunt|grandma|grandpa|grandmother|grandfather|roommate|"
    r"flatmate|teammate|classmate|teenagers?|hij|zij|he|she|they)(?:\s*s)?"
    r"|(?:een|a|de|die|the|that|this)\s+(?:man|vrouw|woman|guy|girl|boy|jongen|meisje|"
    r"persoon|jongeman|student|tiener|teenager)"
    r"|(?:mijn|m|haar|een|de|die|my|her|a)\s+(?:man|vrouw|kind)"
    r"|(?<!ben\s)(?<!am\s)(?:iemand|someone|somebody|a\s+person|een\s+persoon|mensen|"
    r"people)(?!\s+(?:zoals\s+ik|like\s+me))"
)
_FIRST_PERSON = r"(?:ik|me|mij|mijn|mezelf|mijzelf|i|my|myself|mine)"
# A word that is neither first person nor a negation.
_NOT_ME = rf"(?:(?!{_FIRST_PERSON}\b|{_NEG}\b)\w+\s+)"
# What a third person may be said to do or be, in the third-person exclusion.
_CRISIS_WORD = (
    rf"(?:{_SUICIDE_NL}|{_SUICIDE_EN}|{_SELF_HARM_NOUN}|overdos\w*|zichzelf|"
    r"zich\s+(?:van\s+kant|iets\s+aan|opgehangen|verhangen|dood)|himself|herself|"
    r"themselves|themself|afscheidsbrief|(?:wil|wilt|wilde|wou)\s+(?:\w+\s+){0,2}?"
    r"(?:dood|sterven)|wants?\s+to\s+die|jumped|jumps|sprong|sprongen|gesprongen|hanged|"
    r"verhing|overdosed)"
)
_CRISIS_WORD_NEEDLES = (
    *_SUICIDE_NEEDLES, *_SELF_HARM_NEEDLES, "overdos", "zich", "himself", "herself",
    "themsel", "afscheidsbrief", "dood", "sterven", "die", "jump", "sprong", "hanged",
    "verhing",
)

# A pattern: (name, needles, regex). Needles are substrings that every match contains.
_Pattern = tuple[str, tuple[str, ...], str]

# ============================================================================================
# 3. Exclusions (masked before the category patterns run)
# ============================================================================================

# A clause told as the distant past or as recovered history.
_PAST_FRAME = re.compile(
    r"\b(?:vroeger|jaren geleden|\d+ jaar geleden|een (?:paar|aantal) jaar geleden|"
    r"lang geleden|in het verleden|destijds|van toen|in die tijd|in die periode|als tiener|"
    r"als kind|als puber|"
    r"in mijn (?:tienerjaren|jeugd|pubertijd|studententijd)|vorig jaar|"
    r"toen ik (?:jong|jonger|klein|tiener|een tiener|puber|student|\d+|op de middelbare|"
    r"op school|in de puberteit)|\w+ jaar terug|jaren terug|"
    r"used to|years ago|\d+ years ago|a (?:few|couple of) years ago|long ago|years back|"
    r"a long time ago|in the past|back then|back in (?:the day|high school|school|\d+)|"
    r"when i was (?:young|younger|little|a kid|a child|a teen|a teenager|\d+|in school|"
    r"in high school|at school|at uni|a student)|as a (?:teen|teenager|kid|child)|"
    r"in my (?:teens|twenties|youth)|last year|clean for|clean since|"
    # a count of years in words ("vijf jaar geleden", "five years ago"), and time clean or
    # free of it ("een jaar clean van zelfverwonding", "500 dagen zonder snijden")
    r"\w+ jaar geleden|\w+ years ago|a year ago|"
    r"\w+ (?:jaar|jaren|maanden|weken|dagen|years|months|weeks|days) (?:clean|free (?:from|of)|"
    r"zonder (?:snijden|krassen|zelfbeschadiging|zelfverwonding|mezelf|mij|me|drugs|drank|"
    r"alcohol|te gebruiken)))\b"
)
# Something that started then and still goes on ("al 3 jaar", "for years", "since last
# year", "started cutting 2 years ago"): a clause with one of these is never dropped.
_ONGOING = re.compile(
    r"\b(?:al\s+(?:\w+\s+)?(?:jaar|jaren|maanden|weken|tijden|lang)|sinds|since|"
    r"for\s+(?:\w+\s+)?(?:years|months|weeks|ages|a\s+long\s+time)|started|begon|begonnen|"
    r"began|begun)\b"
)
# Says that it is happening again; cancels the past-frame exclusion for the whole message.
_RELAPSE = re.compile(
    r"\b(?:again|opnieuw|terugval|relapse\w*|nog steeds|nog altijd|still|"
    r"(?:komt|kwam|komen|is|zijn) (?:weer )?terug|(?:are|is|came|comes|coming) back|"
    r"weer(?!\s+(?:goed|beter|ok|oke|okay|blij|gelukkig|rustig|lachen|genieten|normaal|"
    r"op de rit|zin|leuk|fijn|werken|sterk|sterker|plezier|hoop)))\b"
)
# Weaker past markers ("ooit", "at 19", "in 2015", "was in hospital"): a clause with one is
# dropped only when the message also says the person is doing well now, and the clause names
# no recent time ("vandaag", "last night").
_PAST_WEAK = re.compile(
    r"\b(?:ooit|once|back in|at (?:age )?\d{2}|"
    r"op mijn \d+(?:e|de|ste)?|in (?:19|20)\d\d|(?:was|been) in (?:the )?(?:hospital|"
    r"a clinic|rehab)|lag (?:ik )?in het ziekenhuis|opname|opgenomen)\b"
)
# Recent time: a clause that has one is never dropped as past.
_RECENT = re.compile(
    r"\b(?:vandaag|gisteren|vannacht|vanavond|vanochtend|vanmorgen|net|zojuist|deze week|"
    r"today|yesterday|tonight|last night|this morning|this week|just|right now)\b"
)
_RECOVERED = re.compile(
    # "niks gaat ooit nog beter worden" is hopelessness, not recovery: a negation before it
    rf"(?<!not )(?<!niks )(?<!niets )(?<!nooit )(?<!nothing )"
    rf"\b(?:doing {_W}?(?:well|better|great|good|ok|okay|fine)|gaat {_W}{{0,2}}?"
    rf"(?:goed|beter)|(?:i am|ik ben|ik voel me|voel me) {_W}{{0,2}}?(?:fine|ok|okay|oke|"
    r"better|good|stable|stabiel|beter|sterker|stronger|hersteld|recovered|gelukkig|happy)|"
    r"clean|hersteld|recovered|in recovery|in herstel|bevrijdend|liberating|proud|trots|"
    r"volunteer\w*|vrijwilliger\w*|ervaringsdeskundige|peer worker|"
    r"grateful|dankbaar|i am \d+ now|ben (?:ik )?nu \d+|nu \d+ jaar)\b"
)
# A clause that reports news or fiction; dropped when nothing in it is about the writer.
_NEWS = re.compile(
    r"\b(?:krant|nieuws|journaal|artikel|news|newspaper|article|headline|documentary|"
    r"documentaire|podcast|netflix|serie|series|movie|film|boek|book|novel|roman|reported|"
    r"according to|volgens)\b"
)
_REPORTER = re.compile(r"^(?:(?:i|ik|we|wij)\s+)?(?:\w+\s+){0,2}?(?:las|lees|read|zag|saw|"
                       r"hoorde|heard|watched|keek|gelezen|gezien|gehoord)\b")
_NEWS_FRAME = re.compile(
    r"\b(?:(?:in|op|on)\s+(?:de\s+|het\s+|the\s+)?(?:krant|nieuws|journaal|news|tv|paper|"
    r"newspaper)|(?:film|serie|boek|book|movie|series|documentary|documentaire|article|"
    r"artikel|podcast)\s+(?:over|about|waarin|where|in\s+which)|volgens|according\s+to)\b"
)
_ME = re.compile(r"\b(?:ik|me|mij|mijn|mezelf|mijzelf|i|me|my|myself|mine)\b")

# Hyperbole: a trivial cause and a death wish, in a message that laughs ("so hungover i wanna
# die 😂", "dit tentamen, ik wil dood haha"). Masked only when _LAUGH occurs in the message.
_LAUGH = re.compile(r"\b(?:haha\w*|hihi\w*|lol|lmao|xd)\b")
_TRIVIAL_CAUSE = (
    r"(?:hungover|hangover|kater|brak|exam|exams|examen|tentamen|toets|homework|huiswerk|"
    r"cringe|embarrass\w*|genant|awkward|monday|maandag|meeting|vergadering|traffic|file|"
    r"this\s+song|dit\s+liedje|spreadsheet|deadline)"
)
_HYPERBOLE_DEATH = r"(?:want\s+to\s+die|wil\s+(?:\w+\s+)?dood|am\s+dying|could\s+die|ga\s+dood)"
_HYPERBOLE = re.compile(
    rf"\b{_TRIVIAL_CAUSE}\b[^\n]{{0,80}}?\b{_HYPERBOLE_DEATH}\b|"
    rf"\b{_HYPERBOLE_DEATH}\b[^\n]{{0,80}}?\b{_TRIVIAL_CAUSE}\b"
)

_EXCLUSIONS: tuple[_Pattern, ...] = (
    # --- A farewell letter written to an addiction or an old self: a therapy exercise.
    ("therapy_letter",  # "afscheidsbrief aan de drank", "goodbye letter to my eating disorder"
     ("afscheids", "goodbye", "farewell"),
     r"\b(?:afscheidsbrief|(?:goodbye|farewell)\s+letter)\s+(?:\w+\s+){0,2}?(?:aan|to)\s+"
     r"(?:de\s+|het\s+|mijn\s+|my\s+|onze\s+|our\s+|the\s+)?(?:drank|alcohol|verslaving|"
     r"addiction|eetstoornis|eating\s+disorder|old\s+self|oude\s+ik|depressie|depression|"
     r"angst|anxiety|drugs|sigaret\w*|roken|smoking|gambling|gokken)\b"),
    # --- Idioms: a death word used as an intensifier.
    ("nl_idiom_reflexive",  # "ik lach me dood", "ik schrok me dood", "ik verveel me dood"
     ("dood", "kapot", "rot", "pletter"),
     r"\b(?:lach|lachen|lachte|lachten|schrik|schrok|schrokken|schrikken|verveel|verveelde|"
     r"vervelen|schaam|schaamde|erger|ergerde|werk|werkte|zweet|zweette|zoek|zocht|eet|at|"
     r"vries|vroor|betaal|betaalde|wacht|wachtte|stress|stresste|loop|liep)\s+"
     r"(?:ik\s+)?(?:me|mij|mezelf|ons|je)\s+(?:\w+\s+)?(?:dood|kapot|rot|te\s+pletter)\b"),
    ("nl_idiom_dood_van",  # "ik ga dood van de honger", "dood van het lachen"
     ("dood", "sterf", "sterv"),
     r"\b(?:dood|sterf|sterven|bijna\s+dood)\s+(?:gaan\s+)?van\s+(?:de\s+|het\s+)?"
     r"(?:honger|dorst|hitte|warmte|kou|lachen|verveling|zenuwen|stress|schaamte|"
     r"nieuwsgierigheid|spanning|jaloezie|heimwee|slaap)\b"),
    ("nl_idiom_lachen",  # "ik kan niet meer van het lachen"
     ("lach",),
     r"\bniet\s+meer\s+van\s+(?:het\s+)?(?:lachen|de\s+lach)\b"),
    ("nl_idiom_misc",  # "over mijn lijk", "op een dood spoor", "politieke zelfmoord"
     ("lijk", "dood", "zelfmoord"),
     r"\b(?:over\s+mijn\s+lijk|dood\s+spoor|doodlopend\w*|dood\s+paard|"
     r"(?:politieke|sociale|commerciele|financiele|electorale|maatschappelijke)\s+"
     r"zelfmoord)\b"),
    ("en_idiom_kill",  # "I'd kill for a coffee", "this traffic is killing me", "killing it"
     ("kill",),
     r"\b(?:kill\s+for\s+(?:a|an|some|the|that)|(?:is|are|was|were)\s+killing\s+me|"
     r"you\s+are\s+killing\s+me|kill(?:ing|ed)?\s+it\b|kill\s+(?:time|the\s+lights|the\s+mood|"
     r"the\s+vibe|the\s+process|two\s+birds)|kill(?:ing|ed)?\s+myself\s+(?:laughing|with\s+"
     r"laughter)|(?:mom|mum|mother|dad|father|teacher|boss|coach|parents|mam|mama|papa)\s+"
     r"(?:is\s+|will\s+|would\s+)?(?:going\s+to\s+)?kill\s+me\s+(?=if|when|for|because|lol|"
     r"haha|omg))"),
    ("en_idiom_die",  # "dying to see that film", "to die for", "die of embarrassment"
     ("die", "dying", "dood"),
     r"\b(?:dying\s+to|to\s+die\s+for(?!\s+(?:\d|years|months|weeks|ages|so\s+long|a\s+"
     r"(?:long\s+)?while))|(?:die|died|dying)\s+(?:of|from)\s+(?:embarrassment|"
     r"laughter|boredom|shame|curiosity|thirst|hunger|the\s+heat|cringe|cuteness)|"
     r"die\s+laughing|rather\s+die\s+than|liever\s+dood\s+dan)\b"),
    ("en_idiom_dead",  # "dead tired", "my phone is dead", "over my dead body"
     ("dead", "dood"),
     r"\b(?:dead\s+(?:tired|serious|beat|end|set|on\s+my\s+feet|battery|wrong|last)|"
     r"(?:phone|battery|laptop|car|plant|telefoon|batterij|accu)\s+(?:is\s+)?(?:dead|dood)|"
     r"drop\s+dead|over\s+my\s+dead\s+body)\b"),
    ("en_idiom_suicide",  # "Suicide Squad", "career suicide", "suicide mission"
     _SUICIDE_NEEDLES,
     rf"\b(?:{_SUICIDE_EN}\s+(?:squad|mission|missions|doors?|run|runs|sprints?|drills?|"
     rf"bomb\w*|attack\w*|vest)|(?:social|career|political|commercial|financial)\s+"
     rf"{_SUICIDE_EN})"),
    ("en_idiom_cut",  # "I cut myself a slice", "cut myself shaving", "cut myself on paper"
     ("myself",),
     r"\b(?:cut|cutting|burn(?:ed|t)?|hurt)\s+myself\s+(?:a\s+(?:slice|piece)|shaving|"
     r"cooking|chopping|slicing|by\s+accident|accidentally|on\s+(?:a|the|some)\s+\w+|"
     r"while\s+\w+|at\s+the\s+gym|playing\s+\w+|running|lifting)"),
    ("nl_accident",  # "ik heb me gesneden aan een mes", "me verbrand aan de oven"
     ("gesneden", "verbrand", "gebrand", "pijn", "gestoten", "bezeerd"),
     rf"\b{_SELF_NL}\s+(?:\w+\s+){{0,2}}?(?:gesneden|verbrand|gebrand|pijn\s+gedaan|gestoten|"
     r"bezeerd)\s+(?:aan|bij|tijdens)\s+(?:een|de|het|mijn)?\s*\w+"),
    # --- Explicit negation of being at risk.
    ("not_suicidal",  # "ik ben niet suïcidaal", "I'm not suicidal", "no longer suicidal"
     _SUICIDE_NEEDLES,
     rf"\b(?:niet|not|no\s+longer|never|nooit)\s+(?:meer\s+)?(?:feeling\s+|feel\s+|being\s+|"
     rf"really\s+|echt\s+|at\s+all\s+)?(?:{_SUICIDE_EN}|{_SUICIDE_NL})"),
    ("no_thoughts",  # "geen zelfmoordgedachten", "no thoughts of self-harm", "zonder doodswens"
     (*_SUICIDE_NEEDLES, *_SELF_HARM_NEEDLES, "doods"),
     rf"\b(?:geen|no|zonder|without)\s+{_NOT_ME}{{0,2}}?(?:{_SUICIDE_NL}|{_SUICIDE_EN}|"
     rf"{_SELF_HARM_NOUN}|doodswens|doodsgedachten)(?:\s+(?:thoughts|gedachten|ideation))?"),
    ("not_thinking_of",  # "ik denk niet aan zelfmoord", "I'm not thinking about suicide"
     ("denk", "think"),
     rf"\b(?:denk|think|thinking)\s+(?:niet|nooit|not|never)\s+(?:\w+\s+)?(?:aan|about|of)\s+"
     rf"(?:{_SUICIDE_NL}|{_SUICIDE_EN}|{_SELF_HARM_NOUN})"),
    ("wont_hurt_self",  # "I would never hurt myself", "I'm not going to kill myself"
     ("never", "no", "stopped", "quit"),
     r"\b(?:never|not|no\s+longer|stopped|quit)\s+(?:going\s+to\s+|planning\s+to\s+|"
     r"want\s+to\s+|wanting\s+to\s+|to\s+)?(?:kill|hurt|harm|cut|burn)\w*\s+(?:myself|me)\b"),
    ("nl_no_longer",  # "ik snij mezelf al 2 jaar niet meer", "ik kras me gelukkig nooit meer"
     ("meer",),
     rf"\b(?:snij|snijd|kras|brand|sla|beschadig|verwond)\s+{_SELF_NL}\s+(?:al\s+(?:\w+\s+)?"
     r"(?:jaar|jaren|maanden|weken|dagen|tijden|lang)\s+)?(?:gelukkig\s+|echt\s+)?"
     r"(?:niet|nooit)\s+meer\b"),
    ("stopped_self_harm",  # "I no longer self-harm", "I stopped cutting", "gestopt met krassen"
     ("no", "never", "stopped", "quit", "gestopt", "niet"),
     rf"\b(?:no\s+longer|never|stopped|quit|gestopt\s+met|niet\s+meer)\s+(?:{_SELF_HARM_NOUN}|"
     r"cutting|krassen|snijden)"),
    ("adherence",  # "al mijn pillen ingenomen zoals voorgeschreven", "took all my meds as I should"
     _PILL_NEEDLES,
     rf"\b(?:al\s+mijn|alle|all\s+(?:of\s+)?my|all\s+the)\s+(?:\w+\s+)?{_PILLS}\b"
     r"(?=[^\n]{0,80}\b(?:zoals\s+voorgeschreven|volgens\s+(?:voorschrift|de\s+arts|de\s+dokter)|"
     r"zoals\s+afgesproken|zoals\s+het\s+hoort|like\s+i\s+am\s+supposed\s+to|as\s+prescribed|"
     r"like\s+the\s+doctor\s+(?:said|told)|as\s+i\s+should)\b)|\b(?:netjes|braaf|keurig)\s+"
     rf"(?:\w+\s+){{0,2}}?(?:al\s+mijn|alle)\s+(?:\w+\s+)?{_PILLS}\b"),
    ("nl_idiom_boss",  # "mijn baas vermoordt me als ik weer te laat ben"
     ("vermoord", "maakt"),
     r"\b(?:baas|moeder|mama|mam|ma|vader|papa|pap|pa|ouders|leraar|lerares|juf|meester|"
     r"coach|trainer|docent)\s+(?:\w+\s+)?(?:vermoordt|vermoord|maakt)\s+(?:me|mij)\s+"
     r"(?:\w+\s+)?(?:af\s+)?(?=als|wanneer|haha|lol)"),
    # --- Crisis words tied to someone else (helpers, grief after a suicide).
    ("third_person",  # "een vriend die aan zelfmoord denkt", "my sister self-harms"
     _CRISIS_WORD_NEEDLES,
     rf"\b(?:{_OTHER})\s+{_NOT_ME}{{0,6}}?{_CRISIS_WORD}"),
    ("third_person_after",  # "de zelfmoord van mijn oom", "suicide of my friend"
     _CRISIS_WORD_NEEDLES,
     rf"{_CRISIS_WORD}\s+(?:\w+\s+)?(?:van|of|bij|onder|among|in|door)\s+(?:{_OTHER})\b"),
    ("loss_to_suicide",  # "lost my brother to suicide", "verloren aan zelfmoord"
     ("lost", "verlor"),
     rf"\b(?:lost|verloren|verloor)\s+(?:\w+\s+){{0,3}}?(?:to|aan|door)\s+"
     rf"(?:{_SUICIDE_NL}|{_SUICIDE_EN})"),
    # --- Talk about the topic rather than about oneself.
    ("topic",  # "een film over zelfmoord", "a documentary about self-harm"
     (*_SUICIDE_NEEDLES, *_SELF_HARM_NEEDLES),
     r"\b(?:film|serie|boek|documentaire|docu|docuserie|aflevering|artikel|podcast|les|lessen|"
     r"presentatie|werkstuk|lezing|voorstelling|scriptie|onderzoek|cursus|training|nieuws|"
     r"movie|series|show|book|documentary|docu|episode|talk|song|"
     r"article|lesson|class|course|presentation|essay|thesis|research|paper|news)"
     rf"\s+(?:\w+\s+){{0,3}}?(?:over|about|on|rond|around)\s+(?:\w+\s+)?(?:{_SUICIDE_NL}|"
     rf"{_SUICIDE_EN}|{_SELF_HARM_NOUN})"),
    ("topic_stats",  # "zelfmoordcijfers", "suicide rates", "suicide prevention week"
     _SUICIDE_NEEDLES,
     rf"(?:{_SUICIDE_NL}|{_SUICIDE_EN})\s*(?:rates?|cijfers|statistiek\w*|statistics|"
     r"awareness|research|onderzoek|preventieweek|prevention\s+(?:week|day|training|course))"),
    ("prevention_topic",  # "ik werk bij 113 Zelfmoordpreventie", "suicide prevention in class"
     ("preventie", "prevention"),
     r"\b(?:werk|werkte|vrijwilliger\w*|stage|work|worked|volunteer\w*|training|cursus|course|"
     r"talked|talk|discussed|learned|learning|geleerd|besproken|gepraat|praatten|presentatie|"
     r"presentation|essay|werkstuk|les|lesson|class|workshop|campagne|campaign|webinar|lezing|"
     r"lecture)\b[^\n]{0,40}?(?:zelfmoordpreventie|suicide\s*prevention|suicidepreventie)\b|"
     r"\b(?:zelfmoordpreventie|suicide\s*prevention|suicidepreventie)\b[^\n]{0,40}?\b(?:les|"
     r"lesson|class|course|cursus|training|workshop|week|dag|day|campagne|campaign|school|werk|"
     r"work)\b"),
)

# ============================================================================================
# 4. Category patterns
# ============================================================================================

_PATTERNS: dict[str, tuple[_Pattern, ...]] = {
    # Medication or poison already taken: the most urgent, 112 territory.
    "overdose": (
        ("nl_pills_taken",  # "ik heb alle pillen ingenomen", "net een hele strip geslikt"
         ("genomen", "geslikt", "op"),
         r"\b(?:alle|al\s+mijn|al\s+de|te\s*veel|een\s+hele?\s+(?:strip|doos|pot|potje|fles|"
         r"flesje|pak|verpakking|doordrukstrip|handvol)|handvol|een\s+handvol|\d{2,}|"
         r"(?:\d+|twee|drie|vier|vijf|een\s+paar|meerdere)\s+(?:strips|strippen|doosjes|dozen|"
         r"potjes|flesjes|verpakkingen|doordrukstrips)|"
         r"tientallen|heel\s+veel|een\s+hoop|een\s+berg)\s+(?:\w+\s+){0,2}?"
         rf"(?:{_PILLS}\s+)?(?:\w+\s+){{0,3}}?(?:ingenomen|genomen|geslikt|doorgeslikt|"
         rf"ingeslikt|opgegeten|op\b{_NOT_OP_PLACE}|in\s+genomen|tegelijk\s+genomen)"),
        ("nl_pills_all_at_once",  # "mijn pillen allemaal tegelijk ingenomen"
         ("genomen", "geslikt", "op"),
         rf"\b{_PILLS}\s+(?:\w+\s+){{0,2}}?(?:allemaal|tegelijk|in\s+een\s+keer|in\s+1\s+keer)"
         rf"\s+(?:\w+\s+)?(?:ingenomen|genomen|geslikt|op\b{_NOT_OP_PLACE})\b"),
        ("en_pills_taken",  # "took all my pills", "swallowed a whole bottle of paracetamol"
         ("took", "take", "swallow", "ate", "downed", "popped", "overdosed"),
         r"\b(?:took|taken|take|swallowed|swallow|ate|downed|popped|overdosed\s+on)\s+"
         r"(?:\w+\s+)?(?:all|too\s+many|too\s+much|a\s+(?:whole|full|entire)\s+(?:bottle|box|"
         r"pack|packet|strip|jar)|a\s+bunch|a\s+lot|a\s+handful|handfuls|like\s+\d+|\d{2,}|"
         r"(?:\d+|two|three|four|five|a\s+few|several)\s+(?:boxes|packs|packets|strips|bottles|"
         r"blister\s+packs)|"
         r"dozens|the\s+whole\s+(?:bottle|box|pack|packet|strip)|everything)\s+"
         rf"(?:(?:of|my|the|of\s+my|of\s+the)\s+)?(?:\w+\s+)?{_PILLS}"),
        ("overdose_word",  # "ik heb een overdosis genomen", "I overdosed", "taking an OD"
         ("overdos", "od"),
         r"\b(?:overdos\w*|i\s+(?:just\s+|have\s+)?(?:od|odd|oded)\b|an\s+od\b)"),
        ("poison_taken",  # "ik heb bleekmiddel gedronken", "I drank bleach"
         ("gedronken", "genomen", "geslikt", "drank", "swallowed", "drunk", "took"),
         r"\b(?:bleekmiddel|gif|antivries|ontstopper|bleach|poison|antifreeze)\s+"
         r"(?:\w+\s+)?(?:gedronken|ingenomen|geslikt)|\b(?:drank|swallowed|drunk|took)\s+"
         r"(?:some\s+)?(?:bleach|poison|antifreeze|drain\s+cleaner)"),
    ),
    # Someone else endangers the person (or the person fears hurting someone).
    "danger_from_other": (
        ("nl_hit_by_other",  # "hij slaat me", "mijn man bedreigt mij"
         ("slaat", "sloeg", "schop", "wurg", "verkracht", "mishandel", "dreig", "vermoord",
          "duwt", "trapt", "stompt", "knijpt", "achtervolg", "stalkt", "sluit"),
         r"\b(?:hij|zij|ze|mijn\s+(?:man|vriend|vriendin|partner|ex|vader|moeder|stiefvader|"
         r"stiefmoeder|broer|zus|vrouw|huisgenoot|buurman|pooier|baas)|die\s+man|iemand)\s+"
         r"(?:\w+\s+){0,2}?(?:slaat|sloeg|schopt|schopte|wurgt|wurgde|verkracht|verkrachtte|"
         r"mishandelt|mishandelde|bedreigt|bedreigde|dreigt|dreigde|vermoordt|duwt|trapt|"
         r"stompt|knijpt|achtervolgt|stalkt|opsluit|sluit)\s+(?:\w+\s+){0,3}?(?:me|mij)\b"),
        ("nl_harm_by_other",  # "ik ben bang dat hij me iets aandoet", "hij gaat me vermoorden"
         ("iets", "wat", "vermoord", "dood", "slaan", "geslagen", "wurg", "verkracht", "pijn",
          "lijf", "opgesloten", "vindt"),
         r"\b(?:hij|zij|ze|mijn\s+(?:man|vriend|vriendin|partner|ex|vader|moeder|stiefvader|"
         r"broer|vrouw|huisgenoot)|iemand)\s+(?:\w+\s+){0,3}?(?:me|mij)\s+(?:\w+\s+){0,2}?"
         r"(?:(?:iets|wat)\s+aan\s*(?:doet|doen|te\s+doen|gedaan)|(?:iets|wat)\s+aandoet|"
         r"(?:iets|wat)\s+aandoen|"
         r"vermoorden|vermoordt|dood\s+(?:maken|maakt)|doodmaken|doodmaakt|slaan|geslagen|"
         r"wurgen|gewurgd|verkrachten|verkracht|pijn\s+(?:doet|doen|gedaan)|te\s+lijf|"
         r"opgesloten|vindt)\b"),
        ("nl_victim",  # "ik word geslagen", "ik ben verkracht", "ik ben niet veilig thuis"
         ("geslagen", "mishandeld", "bedreigd", "gestalkt", "verkracht", "aangerand", "misbruikt",
          "opgesloten", "achtervolgd", "gewurgd", "veilig"),
         r"\bik\s+(?:word|werd|ben)\s+(?:\w+\s+){0,2}?(?:geslagen|mishandeld|bedreigd|"
         r"gestalkt|verkracht|aangerand|misbruikt|in\s+elkaar\s+geslagen|opgesloten|"
         r"achtervolgd|gewurgd)\b|\b(?:ben|voel\s+me|voel\s+mij)\s+(?:\w+\s+)?niet\s+"
         r"(?:meer\s+)?veilig\b"),
        ("nl_weapon_other",  # "hij heeft een mes", "er staat iemand voor mijn deur"
         ("mes", "pistool", "wapen", "iemand", "probeert"),
         r"\b(?:hij|zij|iemand|(?:mijn|m)\s+(?:man|vriend|vriendin|partner|ex|vader|moeder|"
         r"stiefvader|stiefmoeder|broer|zus|vrouw|huisgenoot|buurman|zoon))\s+(?:\w+\s+){0,4}?"
         r"(?:een\s+|het\s+|zijn\s+|haar\s+)?(?:mes|pistool|wapen|vuurwapen)\b"
         r"|\b(?:staat|is)\s+iemand\s+(?:\w+\s+)?(?:in\s+mijn\s+huis|voor\s+mijn\s+deur|"
         r"bij\s+mijn\s+raam)|\bprobeert\s+(?:\w+\s+)?(?:in\s+te\s+breken|binnen\s+te\s+komen)"),
        ("en_hit_by_other",  # "he hits me", "he's going to kill me", "my husband beats me"
         ("hit", "beat", "chok", "strangl", "rap", "threaten", "kill", "hurt", "abus", "stalk",
          "follow", "lock", "punch", "kick"),
         r"\b(?:he|she|they|my\s+(?:husband|boyfriend|girlfriend|partner|ex|dad|father|"
         r"stepdad|mother|mom|mum|brother|wife|roommate|pimp)|someone|somebody|this\s+guy)\s+"
         r"(?:is\s+|was\s+|has\s+|keeps\s+|will\s+|would\s+)?(?:going\s+to\s+|"
         r"trying\s+to\s+|tried\s+to\s+|wants\s+to\s+|threatened\s+to\s+|threatens\s+to\s+)?"
         r"(?:\w+\s+)?(?:hits?|hitting|beats?|beating|beat|chokes?|choked|choking|strangled?|"
         r"strangling|rap(?:es|ed|ing)|threaten(?:s|ed|ing)?|kill|killing|hurts?|hurting|"
         r"abus(?:es|ed|ing)|stalk(?:s|ed|ing)|follow(?:s|ed|ing)|lock(?:s|ed)|punch(?:es|ed)?|"
         r"kick(?:s|ed)?)\s+me\b(?!\s+(?:at|in|with)\s+(?:\w+\s+)?(?:chess|cards|games?|tennis|"
         r"football|soccer|sports?|running|races?|scrabble|monopoly|fifa|everything|anything|"
         r"darts|pool|golf|trivia|quizzes|a\s+race|\w+\s+kart))"),
        ("hiding_from_other",  # "ik zit opgesloten in de badkamer", "he's banging on my door"
         ("verstopt", "opgesloten", "hiding", "locked", "deur", "door", "raam", "window",
          "gooi", "threw", "throw"),
         r"\bik\s+(?:zit|ben|heb\s+me|heb\s+mij|heb\s+mezelf|lig)\s+(?:\w+\s+){0,2}?"
         r"(?:verstopt|opgesloten)\s+(?:in|op|onder|achter|bij)\b(?![^\n]{0,80}\bom\s+te\s+"
         r"(?:studeren|"
         r"werken|leren|slapen|rusten|gamen|lezen))|\bi\s+(?:am|have)\s+"
         r"(?:\w+\s+)?(?:hiding|locked\s+myself)\s+(?:in|from|under|behind)\b|"
         r"\b(?:banging|pounding|kicking|hammering|bonkt|bonken|bonst|beukt|trapt|schopt|"
         r"slaat)\s+(?:\w+\s+){0,2}?(?:on|at|op|tegen)\s+(?:my|mijn|de|the)\s+(?:front\s+)?"
         r"(?:door|deur|voordeur|window|raam)\b|\b(?:staat|stond|is)\s+(?:\w+\s+){0,3}?voor\s+"
         r"(?:de|mijn)\s+(?:deur|voordeur)\s+(?:te\s+)?(?:schreeuwen|bonken|dreigen|tieren|"
         r"razen|trappen|slaan)\b|\b(?:threw|throws|throwing|thrown)\s+(?:\w+\s+){0,3}?at\s+"
         r"me\b|\bgooi\w*\s+(?:\w+\s+){0,4}?(?:naar|tegen)\s+(?:me|mij|mijn\s+hoofd)\b"),
        ("en_victim",  # "I'm not safe at home", "I was raped", "I'm being stalked"
         ("abused", "beaten", "stalked", "raped", "assaulted", "followed", "threatened",
          "locked", "strangled", "choked", "safe"),
         r"\bi\s+(?:am|was|have\s+been|got|get)\s+(?:\w+\s+)?(?:being\s+)?(?:abused|beaten|"
         r"stalked|raped|assaulted|followed|threatened|locked\s+in|strangled|choked)\b|"
         r"\b(?:i\s+am|i\s+do\s+not\s+feel|i\s+never\s+feel|not)\s+(?:\w+\s+)?safe\s+(?:at\s+"
         r"home|here|anymore|with\s+(?:him|her|them))|\bi\s+am\s+not\s+safe\b"),
        ("en_weapon_other",  # "he has a knife", "someone is breaking in"
         ("knife", "gun", "weapon", "someone"),
         r"\b(?:he|she|someone|somebody|my\s+(?:husband|boyfriend|girlfriend|partner|ex|dad|"
         r"father|stepdad|mother|mom|mum|brother|wife|roommate|son))\s+(?:\w+\s+){0,3}?(?:has|"
         r"is\s+holding|got|pulled|grabbed|picked\s+up|took)\s+(?:out\s+)?(?:a|the|his|her)?\s*"
         r"(?:knife|gun|weapon)\b|\bsomeone\s+is\s+(?:\w+\s+)?(?:in\s+my\s+(?:house|room|"
         r"flat|apartment)|outside\s+my\s+door|breaking\s+in|trying\s+to\s+get\s+in)"),
        ("harm_to_others",  # "bang dat ik iemand iets aandoe", "scared I'll hurt my baby"
         ("bang", "scared", "afraid", "worried", "terrified"),
         r"\bbang\s+dat\s+ik\s+(?:\w+\s+){0,3}?(?:iemand|mijn\s+\w+|hem|haar|de\s+baby)\s+"
         r"(?:\w+\s+)?iets\s+aan|\b(?:scared|afraid|worried|terrified)\s+(?:that\s+)?i\s+"
         r"(?:will|might|would|could|am\s+going\s+to)\s+(?:hurt|kill|harm)\s+(?:someone|"
         r"somebody|my\s+\w+|him|her|them|people)"),
    ),
    # Voices that command harm.
    "command_hallucination": (
        ("nl_voices_command",  # "de stemmen zeggen dat ik moet springen"
         ("stem",),
         r"\bstem(?:men|metjes?)?\s+(?:in\s+mijn\s+hoofd\s+)?(?:\w+\s+){0,2}?(?:zeggen|zegt|"
         r"zei|zeiden|vertellen|vertelt|roepen|roept|fluisteren|fluistert|bevelen|beveelt|"
         r"dwingen|dwingt|willen|wil|schreeuwen|schreeuwt|sturen|geven)\s+(?:\w+\s+){0,3}?"
         r"(?:dat\s+ik|me|mij|om|ik\s+moet|moet|opdracht)\b"),
        ("nl_voices_harm",  # "stemmen in mijn hoofd over doodgaan"
         ("stemmen",),
         r"\bstemmen\s+(?:\w+\s+){0,6}?(?:dood|pijn|snijden|springen|doden|vermoorden|"
         r"aandoen|iets\s+aan|ophangen)\b"),
        ("whispered_command",  # "ze fluisteren dat ik het mes moet pakken", "they whisper to"
         ("fluister", "beveel", "bevelen", "commandeer", "whisper", "command"),
         r"\b(?:fluisteren|fluistert|fluisterde|fluisterden|bevelen|beveelt|commanderen|"
         r"commandeert|whisper|whispers|whispering|whispered|command|commands|commanding)\s+"
         r"(?:\w+\s+){0,4}?(?:dat\s+ik\s+(?:\w+\s+){0,4}?(?:moet|moeten|zou\s+moeten)|"
         r"me\s+to|that\s+i\s+(?:should|must|have\s+to|need\s+to)|ik\s+moet)\b"),
        ("resisting_command",  # "ik weet niet hoe lang ik nog nee kan zeggen", "can't resist"
         ("nee", "weerstaan", "resist", "tegenhouden", "volhouden", "fight"),
         r"\bhoe\s+lang\s+ik\s+(?:\w+\s+){0,2}?(?:nee\s+kan\s+zeggen|kan\s+weerstaan|"
         r"ze\s+kan\s+tegenhouden|het\s+kan\s+tegenhouden|weerstand\s+kan\s+bieden)\b|"
         r"\b(?:can\s+not|how\s+long\s+i\s+can)\s+(?:\w+\s+)?(?:resist|fight|ignore|say\s+no\s+"
         r"to)\s+(?:them|the\s+voices?|it)\b"),
        ("en_voices_command",  # "voices tell me to kill", "the voice says I should jump"
         ("voice",),
         r"\bvoices?\s+(?:in\s+my\s+head\s+)?(?:\w+\s+){0,2}?(?:tell|tells|telling|told|say|"
         r"says|saying|said|order|orders|ordering|command|commands|commanding|want|wants|"
         r"urge|urging|scream|screaming|whisper|whispering|make|making)\s+(?:\w+\s+){0,2}?"
         r"(?:me\s+to|me\s+that\s+i|that\s+i\s+(?:should|must|have|need|deserve)|"
         r"i\s+(?:should|must|have\s+to|need\s+to|deserve)|to\s+(?:kill|hurt|die|jump|cut|"
         r"end))"),
    ),
    # A concrete method, means at hand, or a question seeking lethal means.
    "plan_or_means": (
        ("rope",  # "ik heb een touw gekocht", "I tied a noose", "touw aan de balk"
         ("noose", "touw", "strop", "rope"),
         r"\bnoose\b|\b(?:touw|strop|rope)\s+(?:\w+\s+){0,4}?(?:gekocht|klaar|klaarliggen|"
         r"klaarhangen|ophangen|opgehangen|balk|nek|knoop|geknoopt|zolder|plafond|bought|"
         r"ready|tied|tie|neck|beam|ceiling|attic|hang|gemaakt|made)\b|\b(?:gekocht|knoop|"
         r"geknoopt|bought|got|tied|have|made|maak|gemaakt)\s+(?:\w+\s+){0,2}?(?:een\s+|a\s+)?"
         r"(?:touw|strop|rope)\b"),
        ("hang_self",  # "ik ga me ophangen", "mezelf verhangen", "hang myself"
         ("hang",),
         rf"\b{_SELF_NL}\s+(?:\w+\s+){{0,2}}?(?:ophangen|op\s+te\s+hangen|verhangen|"
         r"te\s+verhangen|opgehangen)\b|\bhang(?:ing)?\s+myself\b|"
         r"\bhang\s+(?:ik\s+)?(?:me|mij|mezelf)\s+op\b"),
        ("pills_saved",  # "pillen gespaard", "saving up my meds", "genoeg pillen om"
         _PILL_NEEDLES,
         rf"\b{_PILLS}\s+(?:\w+\s+){{0,3}}?(?:gespaard|opgespaard|verzameld|sparen|opsparen|"
         r"verzamelen|saved|stockpil\w*|hoard\w*|collect\w*|lined\s+up|klaargelegd|"
         r"klaar\s+gelegd|klaarliggen|liggen\s+klaar|klaar|ready)\b|"
         r"\b(?:spaar|gespaard|opgespaard|saving|saved|stockpiling|hoarding|verzamel|"
         rf"verzameld|collecting)\s+(?:\w+\s+){{0,5}}?(?:op\s+)?{_PILLS}|"
         rf"\b(?:genoeg|enough)\s+(?:\w+\s+)?{_PILLS}\s+(?:om|voor|to|for|in\s+huis|at\s+home)"),
        ("jump_nl",  # "van de brug springen", "ik spring van het dak"
         ("spring", "sprong", "vallen", "brug", "dak", "flat", "toren", "balkon", "viaduct"),
         r"\bvan\s+(?:de|het|een|dat|die|deze|dit)\s+(?:\w+\s+)?(?:brug|dak|flat|gebouw|balkon|"
         r"toren|klif|parkeergarage|viaduct|rots)\s+(?:\w+\s+){0,2}?(?:af\s+)?(?:te\s+)?"
         r"(?:springen|spring|afspringen|gesprongen|springt|af\s+springen|vallen|laten\s+vallen)"
         r"|\b(?:ga|gaan)\s+(?:\w+\s+){0,2}?van\s+(?:de|het|een)\s+(?:\w+\s+)?(?:brug|dak|"
         r"flat|toren|balkon|viaduct)(?:\s+af)?\s*$"
         r"|\b(?:spring|springen|sprong)\s+(?:ik\s+)?(?:\w+\s+)?van\s+(?:de|het|een)\s+"
         r"(?:\w+\s+)?(?:brug|dak|flat|gebouw|balkon|toren|klif|viaduct)"),
        ("jump_en",  # "jump off the bridge", "jumping from a building"
         ("jump", "leap", "throw"),
         r"\b(?:jump|jumping|jumped|leap|leaping|throw\s+myself)\s+(?:\w+\s+)?(?:off|from)\s+"
         r"(?:a|the|this|that|my|an)?\s*(?:\w+\s+)?(?:bridge|roof|building|balcony|tower|cliff|"
         r"parking\s+garage|window|flat|overpass|ledge)"),
        ("on_the_edge",  # "ik sta op de brug", "I'm standing on the ledge"
         ("sta", "zit", "on"),
         r"\bik\s+(?:sta|zit|lig)\s+(?:nu\s+)?(?:op|aan|bij)\s+(?:de|het|een)\s+"
         r"(?:rand|brug|dak|spoor|spoorlijn|rails|reling|dakrand)\b(?<!bij\sde\sbrug)"
         r"|\bi\s+am\s+(?:\w+\s+)?(?:standing\s+|sitting\s+|lying\s+|walking\s+)?(?:on|at|by|"
         r"near|along)\s+(?:the|a)\s+(?:ledge|edge|roof|bridge|railing|tracks|train\s+tracks|"
         r"railway)\b(?<!at\sthe\sbridge)(?<!near\sthe\sbridge)(?<!by\sthe\sbridge)"
         r"(?!\s+of\s+(?:my|the|a)\s+(?!roof|bridge|cliff|building|platform|balcony|tracks|"
         r"railing|tower|flat)\w+)"),
        ("fatal_fall",  # "vanaf welke verdieping overleef je een val niet", "which floor is fatal"
         ("overleef", "overleven", "surviv", "dodelijk", "fatal"),
         r"\b(?:verdieping|hoogte|meter|floor|storey|story|height|feet|metres|meters)\b"
         r"[^\n]{0,60}?\b(?:overleef|overleeft|overleven|survive|survivable|dodelijk|fatal)\b|"
         r"\b(?:overleef|overleeft|overleven|survive|survives)\s+(?:\w+\s+){0,3}?(?:een\s+|a\s+)?"
         r"(?:val|fall|sprong|jump|drop)\b"),
        ("carbon_monoxide",  # "in de auto in de garage met de motor aan", "charcoal in the bedroom"
         ("garage", "uitlaat", "exhaust", "houtskool", "charcoal", "bbq", "barbecue"),
         r"^(?=[^\n]{0,200}\bgarage\b)(?=[^\n]{0,200}\b(?:zit|sit|sitting|zitten|ik\s+ben|"
         r"i\s+am)\b[^\n]{0,100}\b(?:auto|car)\b)[^\n]{0,200}\b(?:engine|motor)\s+(?:\w+\s+)?(?:running|on|aan|"
         r"draait|draaiend|loopt|lopen|laten\s+lopen)\b|\b(?:slang\s+aan\s+de\s+uitlaat|hose\s+"
         r"(?:on|to|from)\s+the\s+exhaust|exhaust\s+(?:fumes|pipe|hose)\s+(?:\w+\s+)?into)\b|"
         r"\b(?:houtskool|charcoal|bbq|barbecue)\s+(?:\w+\s+){0,4}?(?:in|inside)\s+(?:mijn|de|"
         r"my|the)\s+(?:slaapkamer|badkamer|kamer|tent|auto|bedroom|bathroom|room|car)\b"),
        ("train",  # "voor de trein springen", "op het spoor gaan liggen", "in front of a train"
         ("trein", "metro", "tram", "vrachtwagen", "bus", "spoor", "front", "tracks"),
         r"\b(?:voor|onder)\s+(?:de|een)\s+(?:trein|metro|tram|vrachtwagen|bus)\b"
         r"(?!\s+(?:van|naar|is|was|gemist|te\s+laat|had|vertrekt|wachten))"
         r"|\bop\s+het\s+spoor\s+(?:\w+\s+)?(?:gaan\s+)?(?:liggen|staan|lopen|zitten|springen)"
         r"|\bin\s+front\s+of\s+(?:a|the)\s+(?:\w+\s+)?(?:train|truck|bus|lorry|car)\b"
         r"|\b(?:on|onto)\s+the\s+(?:train\s+|railway\s+)?tracks\b"),
        ("weapon_self",  # "ik heb een mes klaarliggen", "I have a gun", "holding a razor"
         ("mes", "knife", "razor", "blade", "gun", "pistol", "firearm", "vuurwapen"),
         r"\b(?:mes|mesje|scheermes|scheermesje|knife|razor|blade|blades)\s+(?:\w+\s+){0,3}?"
         r"(?:klaar|klaarliggen|klaargelegd|gepakt|in\s+mijn\s+hand|in\s+my\s+hand|ready|"
         r"next\s+to\s+me|naast\s+me)\b(?!\s+(?:om|to|for|voor)\s+(?:\w+\s+){0,3}?(?:te\s+)?"
         r"(?:snijden|koken|schillen|smeren|cut|cook|chop|slice|peel|brood|bread|groente|"
         r"vegetables|dinner|het\s+eten))|\b(?:bought|got|have|own|holding)\s+(?:a\s+)?"
         r"(?:gun|pistol|firearm)\b|\bheb\s+(?:een\s+)?(?:pistool|vuurwapen)\b"),
        ("lethal_question",  # "hoeveel pillen zijn dodelijk", "lethal dose", "painless way to die"
         ("hoeveel", "how", "lethal", "dodelijk", "fatal", "letale", "manier", "methode", "way",
          "method"),
         rf"\bhoeveel\s+(?:\w+\s+){{0,3}}?{_PILLS}?\s*(?:\w+\s+){{0,6}}?(?:dodelijk|dood|"
         r"overdosis|te\s*veel|overlijden|sterven|fataal|niet\s+meer\s+wakker|nooit\s+meer\s+"
         r"wakker)|"
         rf"\bhow\s+(?:many|much)\s+(?:\w+\s+){{0,3}}?{_PILLS}?\s*(?:\w+\s+){{0,6}}?(?:die|dead|"
         r"kill|lethal|fatal|overdose|od|not\s+wake\s+up|never\s+wake\s+up|sleep\s+forever)\b|"
         r"\bhow\s+long\s+(?:does|would|will|do)\s+(?:it|you)\s+(?:\w+\s+){0,2}?(?:to\s+)?"
         r"(?:bleed\s+out|die|drown|suffocate|hang)\b|\bhoe\s+lang\s+(?:duurt|doe)\s+"
         r"(?:\w+\s+){0,4}?(?:doodbloed\w*|dood\s+bloed\w*|dood\s+bent|dood\s+gaat|verdrink\w*|"
         r"stikt|sterft|overlijdt)\b|\b(?:lethal|dodelijke|fatal|fatale|letale)\s+"
         r"(?:dose|dosis|hoeveelheid|amount)|\b(?:pijnloze?|snelste|makkelijkste|zekerste|"
         r"beste|painless|quickest|fastest|easiest|surest|best|quick|easy)\s+(?:\w+\s+){0,2}?"
         r"(?:manier|manieren|methode|way|ways|method|methods)\s+(?:\w+\s+){0,3}?"
         r"(?:dood|die|sterven|kill|zelfmoord|suicide|end\s+(?:it|my\s+life)|eind|"
         r"overlijden|doodgaan)|\bhow\s+to\s+(?:kill\s+myself|hang\s+myself|overdose|"
         r"commit\s+suicide|die\s+painlessly)"),
        ("know_how",  # "ik weet hoe ik het ga doen", "I have a plan to end it"
         ("weet", "know", "plan", "datum", "date"),
         r"\bik\s+weet\s+(?:al\s+|precies\s+)?(?:hoe|wanneer|waar)\s+ik\s+het\s+(?:ga\s+)?"
         r"(?:doe|doen)\b|\bi\s+(?:already\s+)?know\s+(?:exactly\s+)?(?:how|when|where)\s+"
         r"i\s+(?:will|would|am\s+going\s+to|going\s+to)\s+do\s+it\b|"
         r"\b(?:heb|have)\s+(?:al\s+|already\s+)?(?:een\s+|a\s+)?(?:plan|datum|date)\s+"
         r"(?:\w+\s+)?(?:om\s+(?:er\s+)?(?:een\s+eind|dood|mezelf)|to\s+(?:end|kill|die))"),
    ),
    # Self-harm, present or recent.
    "self_harm": (
        ("nl_cut_self",  # "ik snij mezelf", "ik kras weer", "ik brand mezelf"
         ("snij", "sneed", "kras", "brand", "beschadig", "verwond", "sla", "bijt"),
         r"\b(?:snij|snijd|sneed|kras|kraste|brand|verbrand|beschadig|verwond|sla|bijt)\s+"
         rf"(?:ik\s+)?{_W}{{0,2}}?(?:mezelf|mijzelf|me|mij)\b(?!\s+(?:niet|nooit|aan|in\s+de\s+"
         r"vinger|bij))|\bik\s+kras\b|\bkras\s+ik\b|\baan\s+het\s+krassen\b"),
        ("nl_self_cut_done",  # "ik heb mezelf gesneden", "mezelf pijn doen"
         ("mezelf", "mijzelf", "pijn", "gekrast", "gesneden"),
         rf"\b(?:mezelf|mijzelf)\s+{_W}{{0,3}}?(?:gesneden|snijden|te\s+snijden|gekrast|"
         r"krassen|te\s+krassen|verbrand|branden|te\s+branden|pijn\s+(?:gedaan|doen|te\s+doen|"
         r"doe)|beschadigd|beschadigen|verwond|verwonden|geslagen|slaan)\b|"
         r"\bik\s+doe\s+(?:me|mij|mezelf|mijzelf)\s+(?:\w+\s+)?pijn\b|"
         r"\b(?:heb|weer)\s+(?:\w+\s+)?(?:gekrast|gesneden)\b(?!\s+(?:in|op)\s+(?:de|het)\s+"
         r"(?:papier|hout|auto|deur))"),
        ("nl_cutting_again",  # "ik ben weer aan het snijden", "opnieuw begonnen met krassen"
         ("snijden", "krassen", "branden"),
         r"\b(?:weer|opnieuw|terug|nog\s+steeds|steeds)\s+(?:aan\s+het|begonnen\s+met|"
         r"gaan|gestart\s+met)\s+(?:snijden|krassen|branden)\b"),
        ("burn_self",  # "me gebrand met een aansteker", "burning my arm with a lighter"
         ("aansteker", "sigaret", "lighter", "cigarette", "brand", "burn"),
         r"\b(?:brand|gebrand|verbrand|branden|burn|burning|burned|burnt)\w*\s+(?:\w+\s+){0,4}?"
         r"(?:met|with)\s+(?:een|de|a|the|my|mijn)\s+(?:aansteker|sigaret|peuk|lighter|cigarette|"
         r"strijkijzer|iron)\b|\b(?:aansteker|sigaret|lighter|cigarette)\s+(?:\w+\s+){0,3}?"
         r"(?:op|on|tegen|against)\s+(?:mijn|my)\s+(?:\w+\s+)?(?:arm|armen|huid|skin|been|leg|"
         r"hand|pols|wrist|dij|thigh)\b"),
        ("hit_self",  # "bonk met mijn hoofd tegen de muur", "punched the wall until it bled"
         ("hoofd", "head", "muur", "wall", "tot", "until", "till"),
         r"\b(?:bonk|bonken|beuk|beuken|sla|slaan|sloeg|bang|banging|banged|hit|hitting|slam|"
         r"slamming)\s+(?:\w+\s+){0,3}?(?:hoofd|head)\s+(?:\w+\s+)?(?:tegen|against|into|on)\s+"
         r"(?:de|het|a|the)\s+(?:muur|wall|deur|door|vloer|floor)\b(?!\s+(?:with|over|trying|"
         r"about|for|met\s+(?:dit|deze|die|dat)|over))|\b(?:punch|punched|"
         r"punching|hit|hitting|sla|sloeg|slaan|stomp|stompte|stompen)\s+(?:\w+\s+)?(?:the|a|de|"
         r"tegen\s+de)\s+(?:wall|muur|door|deur)\s+(?:\w+\s+)?(?:until|till|tot)\b|"
         r"\b(?:tot|until|till)\s+(?:het|it|i|ik|my\s+\w+|mijn\s+\w+)\s+"
         r"(?:\w+\s+)?(?:bloedt|bloedde|bleeds|bled|bleed|bleeding)\b|"
         # the Dutch perfect: "(net 20 keer) met mijn hoofd op de vloer geslagen"
         r"\bmijn\s+hoofd\s+(?:\w+\s+)?(?:tegen|op)\s+(?:de|het)\s+(?:muur|vloer|deur)\s+"
         r"(?:\w+\s+)?(?:geslagen|gebonkt|gebeukt|geknald|gebonsd)\b"),
        ("fresh_wounds",  # "mijn armen zitten vol nieuwe sneden", "fresh cuts on my arm"
         ("sneden", "snijwond", "wonden", "wondjes", "cuts", "burns", "scratches"),
         r"\b(?:nieuwe|verse|diepe|open)\s+(?:sneden|snijwonden|wonden|wondjes|brandwonden)\b|"
         r"\b(?:fresh|new|deep|open)\s+(?:cuts|burns|wounds)\b|\b(?:arm|armen|benen|polsen|dijen|"
         r"arms|legs|wrists|thighs)\s+(?:\w+\s+){0,2}?(?:vol|covered\s+in|full\s+of)\s+(?:\w+\s+)?"
         r"(?:sneden|snijwonden|cuts|burns)\b"),
        ("nl_self_harm_noun",  # "zelfbeschadiging", "automutilatie"
         ("zelfbeschadig", "zelfverwond", "automutilatie"),
         r"\b(?:zelfbeschadig\w*|zelfverwond\w*|automutilatie)\b"),
        ("nl_body",  # "in mijn arm gesneden", "mijn polsen doorsnijden"
         ("gesneden", "snij", "kras", "brand", "polsen"),
         r"\bin\s+mijn\s+(?:arm|armen|been|benen|bovenbeen|bovenbenen|pols|polsen|buik|huid|"
         r"dijen|dij)\s+(?:\w+\s+){0,2}?(?:gesneden|snijden|snij|gekrast|krassen|kras|gebrand|"
         r"branden)|\bpolsen\s+(?:\w+\s+){0,2}?(?:door|snij|gesneden|open)"),
        ("nl_urge",  # "drang om te snijden", "zin om te krassen"
         ("snijden", "krassen", "mezelf"),
         r"\b(?:drang|neiging|behoefte|zin|trek)\s+(?:\w+\s+){0,2}?(?:om\s+)?(?:\w+\s+)?"
         r"(?:te\s+)?(?:snijden|krassen|mezelf\s+(?:te\s+)?(?:snijden|krassen|pijn|branden))"),
        ("nl_iets_aandoen",  # "ik ben bang dat ik mezelf iets aandoe", "ik ga me iets aandoen"
         ("aan",),
         rf"\b(?:mezelf|mijzelf|ik\s+(?:\w+\s+)?(?:me|mij))\s+{_W}{{0,2}}?(?:iets|wat)\s+"
         r"(?:aan\b|aandoe|aandoen|aan\s+te\s+doen|aangedaan)"),
        ("en_hurt_self",  # "I hurt myself", "cutting myself", "burned myself again"
         ("myself",),
         r"(?<!never\s)(?<!not\s)(?<!to\s)\b(?:cut|cutting|cuts|burn|burning|burned|burnt|"
         r"hurt|hurting|hurts|harm|harming|harmed|hit|hitting|punch|punching|scratch|"
         r"scratching|stab|stabbing|stabbed|bang|banging|starve|starving|bite|biting)\s+"
         r"(?:\w+\s+)?myself\b|\b(?:want|need|going|urge|urges|tempted|trying|about|plan)\s+"
         r"to\s+(?:cut|hurt|burn|harm)\s+myself\b"),
        ("en_cutting",  # "cutting again", "started cutting", "urge to cut"
         ("cut", "burn"),
         r"\b(?:cutting|cut|burning)\s+(?:again|deeper|more\s+and\s+more)\b|"
         r"\b(?:started|start|been|keep|kept|can\s+not\s+stop|urge\s+to|urges\s+to|want\s+to|"
         r"need\s+to|going\s+to|relapsed\s+(?:on|into)?)\s+(?:\w+\s+)?(?:cutting|cut|burning)"
         r"\b(?!\s+(?:back|down|out|off|carbs|sugar|the|my\s+hair|hair|ties|class|school|"
         r"corners|onions|wood|paper|costs|calories|it|them|him|her|people|you))"),
        ("en_wrists",  # "cut my wrists", "slit my wrists", "cut my arms"
         ("wrist", "vein", "arms", "thigh"),
         r"\b(?:slit|slice|slash|slashed|cut|cutting|open)\w*\s+(?:my\s+)?(?:wrists?|"
         r"veins|arms|thighs)\b"),
        ("self_harm_noun",  # "self-harm", "self injury", "sh urges"
         ("self", "sh"),
         r"\bself\s+(?:harm\w*|injur\w*|mutilat\w*)|\b(?:relapsed?\s+(?:on\s+)?sh|"
         r"sh\s+(?:urges?|again|relapse)|did\s+sh|urges?\s+to\s+sh)\b"),
    ),
    # Explicit or passive wish to die, suicide words, hopelessness about living.
    "suicidal": (
        ("suicide_word",  # "zelfmoord", "zelfdoding", "suicide", "suïcidaal", typos
         _SUICIDE_NEEDLES,
         rf"\b(?:{_SUICIDE_NL}|{_SUICIDE_EN})"),
        ("slang",  # "kms", "unalive", "ctb", "sewerslide", "self delete", "i should kys"
         ("kms", "unaliv", "ctb", "sewer", "delet", "kys"),
         r"(?<!\d\s)\bkms\b|\bunaliv\w*|\bctb\b|\bsewer\s?slide\b|\bself\s?delet\w*"
         r"|\b(?:i|ik|going\s+to|want\s+to|ga|wil|ready\s+to|should|time\s+to|"
         r"about\s+to|just)\s+(?:\w+\s+){0,2}?kys\b"),
        ("nl_wil_dood",  # "ik wil dood", "wil gewoon dood", "ik wou dood", "wil sterven"
         ("wil", "wou"),
         rf"\b(?:wil|wilt|wilde|wou)\s+(?:ik\s+)?(?:{_FILL_NL}\s+){{0,3}}(?:dood|doodgaan|"
         r"sterven|dood\s+zijn|er\s+niet\s+meer\s+zijn)\b"
         r"(?!\s+(?:van|hebben|zien|maken|hout))"),
        ("nl_er_niet_meer_zijn",  # "ik wil er niet meer zijn", "wil hier niet meer zijn"
         ("wil", "wou"),
         rf"\b(?:wil|wilt|wilde|wou)\s+(?:ik\s+)?(?:{_FILL_NL}\s+){{0,2}}(?:er|hier)\s+"
         rf"(?:{_FILL_NL}\s+){{0,2}}(?:niet|nooit)\s+meer\s+(?:{_FILL_NL}\s+){{0,2}}zijn\b"),
        ("nl_niet_meer_leven",  # "ik wil niet meer leven", "wil niet langer verder"
         ("wil", "wou", "hoef"),
         rf"\b(?:wil|wilt|wilde|wou|hoef)\s+(?:ik\s+)?(?:{_FILL_NL}\s+){{0,2}}(?:niet|nooit)\s+"
         rf"(?:meer|langer)\s+(?:{_FILL_NL}\s+){{0,2}}(?:te\s+)?(?:leven|bestaan|doorgaan|"
         r"ademen|verder(?!\s+met)|door(?!\s+met))\b"),
        ("nl_wil_niet_meer",  # "ik wil niet meer." (at the end of a clause)
         ("wil", "hoef"),
         r"\b(?:ik\s+)?(?:wil|hoef)\s+(?:\w+\s+)?(?:gewoon\s+|echt\s+|eigenlijk\s+)?niet\s+"
         r"meer\s*$|\bik\s+wil\s+niet\s+meer\s+(?=ik\b|en\b|alles\b|het\b)"),
        ("nl_niet_wakker",  # "wil niet meer wakker worden", "hoop dat ik niet meer wakker word"
         ("wakker",),
         r"\b(?:niet|nooit)\s+meer\s+(?:\w+\s+)?wakker\s+(?:te\s+)?(?:word|worden|wordt|werd|"
         r"zou\s+worden)\b"),
        ("nl_why_alive",  # "waarom leef ik eigenlijk nog", "waarom ben ik er nog"
         ("waarom",),
         r"\bwaarom\s+(?:leef|besta)\s+ik\s+(?:\w+\s+)?nog\b|\bwaarom\s+ben\s+ik\s+"
         r"(?:\w+\s+)?(?:er|hier)\s+(?:\w+\s+)?nog\b(?!\s+(?:niet|steeds\s+niet))|\bwaarom\s+zou\s+ik\s+(?:\w+\s+)?"
         r"(?:nog\s+)?(?:leven|doorgaan|verder\s+(?:gaan|leven))\b"),
        ("nl_let_it_stop",  # "het mag allemaal ophouden, voorgoed", "ik wil dat het stopt"
         ("ophoud", "stop", "voorbij"),
         r"\b(?:het|alles)\s+(?:mag|moet|mocht|mag\s+van\s+mij)\s+(?:\w+\s+){0,3}?"
         r"(?:ophouden|stoppen|voorbij\s+zijn|over\s+zijn)\b(?!\s+met)|\b(?:wil|wou|hoop)\s+"
         r"(?:\w+\s+)?dat\s+(?:het|alles)\s+(?:gewoon\s+|allemaal\s+|eindelijk\s+|echt\s+|"
         r"voorgoed\s+)*(?:ophoudt|stopt|voorbij\s+is|over\s+is)\b(?!\s+met)"),
        ("nl_accident_wish",  # "ik hoop dat een vrachtwagen me aanrijdt", "hoop dat ik verongeluk"
         ("hoop", "wens", "erg", "maakt"),
         r"\b(?:hoop|wens|wou|zou\s+het\s+niet\s+erg\s+vinden|maakt\s+me\s+niet\s+uit)\s+"
         rf"{_W}{{0,3}}?(?:dat|als)\s+{_W}{{0,4}}?(?:vrachtwagen|auto|bus|trein|tram|"
         rf"bliksem|vliegtuig)\s+{_W}{{0,4}}?(?:me|mij)\s+{_W}{{0,2}}?(?:aanrijdt|aan\s+rijdt|"
         r"doodrijdt|overrijdt|raakt|schept|aanrijden)\b|\b(?:hoop|wens|wou)\s+"
         rf"{_W}{{0,3}}?dat\s+ik\s+{_W}{{0,3}}?(?:verongeluk|een\s+ongeluk\s+krijg|doodga|"
         r"dood\s+ga|niet\s+overleef|kanker\s+krijg)\b"),
        ("nl_zie_het_niet_zitten",  # "ik zie het niet meer zitten", "'k zie t nie meer zitten"
         ("zitten",),
         r"\bzie\s+(?:\w+\s+){0,4}?niet\s+meer\s+(?:\w+\s+){0,2}?zitten\b"),
        ("nl_geen_uitweg",  # "ik zie geen uitweg meer", "er is geen uitweg"
         ("uitweg", "toekomst"),
         r"\bgeen\s+(?:\w+\s+)?uitweg\b|\bgeen\s+toekomst\s+meer\s*$"),
        ("nl_leven_zinloos",  # "het leven heeft geen zin meer", "wat heeft het leven nog voor zin"
         ("zin", "nut", "waarde", "waarom"),
         r"\b(?:leven|bestaan)\s+(?:\w+\s+){0,2}?(?:heeft\s+)?geen\s+(?:zin|nut|waarde)\b|"
         r"\bwat\s+(?:heeft|is)\s+(?:het|mijn|dit)\s+(?:leven|bestaan)\s+(?:\w+\s+)?"
         r"(?:voor\s+)?(?:zin|nut)\b|\bgeen\s+zin\s+(?:meer\s+)?(?:in\s+(?:het\s+|mijn\s+)?"
         r"leven|om\s+(?:te\s+)?(?:leven|verder\s+te\s+gaan|door\s+te\s+gaan))\b|"
         r"\bgeen\s+zin\s+meer\s+(?:\w+\s+){0,3}?(?:leven|bestaan)\b|"
         r"\b(?:leven|alles)\s+is\s+(?:\w+\s+)?zinloos\b|\bheeft\s+(?:allemaal|alles|"
         r"niets)\s+geen\s+zin\s+meer\s*$|\bwaarom\s+zou\s+ik\s+(?:nog\s+)?(?:leven|"
         r"doorgaan|verder\s+gaan)\b"),
        ("nl_eind_maken",  # "er een eind aan maken", "een einde maken aan mijn leven"
         ("eind", "punt", "leven"),
         rf"\ber\s+(?:{_FILL_NL}\s+){{0,2}}(?:een\s+)?(?:eind|einde|punt)\s+(?:aan|achter)\s+"
         r"(?:\w+\s+)?(?:te\s+)?(?:maken|make|maak|zetten|zet)\b(?!\s+met\s+(?:mijn|m|de|die|"
         r"hem|haar|hun)\s+(?:\w+\s+)?(?:ex|vriend|vriendin|relatie|baan|werk|studie|partner|"
         r"man|vrouw|verslaving|schulden))|"
         r"\b(?:eind|einde)\s+(?:te\s+)?(?:maken|maak)\s+aan\s+(?:mijn\s+leven|alles|het\s+"
         r"leven|mezelf|mijn\s+bestaan)|\b(?:eind|einde)\s+aan\s+(?:alles|het\s+allemaal|mezelf|"
         r"het\s+leven)\s+(?:\w+\s+)?(?:te\s+)?(?:maken|maak|make)\b|\bmaak\s+(?:\w+\s+){0,2}?"
         r"(?:een\s+)?(?:eind|einde)\s+aan\s+(?:alles|mijn\s+leven|het\s+leven|mezelf)\b|"
         r"\b(?:eind|einde|punt)\s+(?:aan|achter)\s+mijn\s+"
         r"(?:leven|bestaan)|\bmijn\s+leven\s+(?:\w+\s+)?(?:beeindigen|stoppen|nemen)"),
        ("nl_self_kill",  # "mezelf van kant maken", "uit het leven stappen", "mezelf doden"
         ("kant", "dood", "doden", "brengen", "vermoord", "verdrink", "leven"),
         rf"\b{_SELF_NL}\s+(?:\w+\s+){{0,2}}?(?:van\s+kant\s+(?:te\s+)?(?:maken|maak)|"
         r"(?:te\s+)?(?:doden|dood\s+maken|doodmaken|ombrengen|om\s+te\s+brengen|"
         r"vermoorden|verdrinken|doodrijden)|van\s+het\s+leven\s+(?:te\s+)?beroven|"
         r"om\s+het\s+leven\s+(?:te\s+)?brengen)\b|\buit\s+het\s+leven\s+(?:te\s+)?"
         r"(?:stappen|gaan|stap)\b|\bmaak\s+(?:ik\s+)?(?:me|mezelf|mij)\s+van\s+kant\b"),
        ("nl_wish_dead",  # "ik wou dat ik dood was", "was ik maar nooit geboren"
         ("dood", "geboren", "niet", "verdwijn"),
         r"\b(?:wou|wilde|zou\s+willen|wens|wenste|hoop)\s+(?:dat\s+)?ik\s+(?:\w+\s+){0,2}?"
         r"(?:dood\s+(?:was|ben|ga|zou)|nooit\s+geboren|er\s+niet\s+(?:meer\s+)?(?:was|ben)|"
         r"niet\s+(?:meer\s+)?(?:bestond|besta|leefde|geboren))|\bwas\s+ik\s+(?:\w+\s+)?"
         r"maar\s+(?:dood|nooit\s+geboren|er\s+niet\s+meer)|\b(?:ben|zou|was)\s+(?:ik\s+)?"
         r"(?:\w+\s+)?liever\s+dood\b(?!\s+dan)|\bik\s+(?:wil|wou)\s+(?:\w+\s+)?verdwijnen\b"),
        ("nl_levensmoe",  # "levensmoe", "het leven beu/zat", "klaar met leven", "doodswens"
         ("levensmoe", "doods", "dood", "leven", "klaar", "donkere"),
         r"\b(?:levensmoe\w*|doodswens\w*|doodsgedachte\w*|dood\s+wens)\b|\bleven\s+"
         r"(?:\w+\s+)?(?:beu|zat|moe)\b|\bklaar\s+met\s+(?:het\s+|mijn\s+)?leven\b|"
         r"\bklaar\s+met\s+alles\s*$|\bdonkere\s+gedachten\b|\b(?:stoppen|stop|ophouden|kappen)"
         r"\s+(?:\w+\s+){0,6}?met\s+(?:het\s+)?(?:leven|ademen)\b"),
        ("nl_kan_niet_meer",  # "ik kan niet meer" / "ik kan het niet meer aan"
         ("kan",),
         r"\bik\s+kan\s+(?:het\s+|dit\s+)?(?:gewoon\s+|echt\s+|eigenlijk\s+)?niet\s+meer\b"
         r"(?:\s+aan\b|\s*$|(?!\s+\w+en\b|\s+van\b|\s+tegen\b))"),
        ("nl_denk_aan_dood",  # "ik denk steeds aan de dood", "ik denk aan doodgaan"
         ("denk",),
         r"\bdenk\w*\s+(?:\w+\s+){0,2}?aan\s+(?:de\s+dood|doodgaan|sterven|"
         r"er\s+niet\s+meer\s+zijn|een\s+eind|het\s+einde|mijn\s+dood|mijn\s+eigen\s+dood)\b"
         r"(?!\s+van)"),
        ("en_why_alive",  # "why am I even still alive", "why do I keep living"
         ("why",),
         r"\bwhy\s+(?:am|do|should)\s+i\s+(?:\w+\s+){0,2}?(?:alive|still\s+here|exist|"
         r"keep\s+living|keep\s+going|bother\s+living|go\s+on\s+living)\b"
         r"(?!\s+(?:at|in|on|waiting|with))"),
        ("en_accident_wish",  # "wouldn't mind if a bus hit me", "hope a car hits me"
         ("hope", "hoping", "mind", "care", "wish"),
         r"\b(?:hope|hoping|would\s+not\s+mind|do\s+not\s+care|wish)\b[^\n]{0,40}?\b(?:bus|"
         r"car|truck|train|lorry|van|meteor|asteroid|lightning|plane)\s+(?:\w+\s+)?(?:hits?|"
         r"would\s+hit|runs?\s+me\s+over|ran\s+me\s+over|kills?|crash\w*\s+into)\s*(?:me\b)?|\b(?:hope|hoping|wish)\s+(?:that\s+)?i\s+(?:\w+\s+){0,2}?(?:get\s+"
         r"hit\s+by|die\s+in|crash|have\s+an\s+accident|get\s+cancer|do\s+not\s+survive)"),
        ("en_want_die",  # "I want to die", "wanna die", "I deserve to die", "ready to die"
         ("die", "dying", "dead", "death"),
         rf"(?:\bi\s+(?:am\s+|have\s+|would\s+)?|^\s*|\bme\s+|\bpart\s+of\s+me\s+)"
         rf"(?:{_FILL_EN}\s+){{0,3}}(?:want|wants|wanted|wish|need|deserve|am\s+going|going|"
         rf"ready|about|plan|planning|like|hope|rather|should|could|feel\s+like)\s+"
         rf"(?:to\s+)?(?:{_FILL_EN}\s+){{0,2}}(?:die+|dying|be\s+dead|death)\b"
         r"(?!\s+(?:of|from|laughing|my|your|her|his|than|in\s+a|with)\b|\s+for\s+(?!\d|years|"
         r"months|weeks|ages|so\s+long|a\s+(?:long\s+)?while))"),
        ("en_kill_self",  # "I want to kill myself", "killing myself", "take my own life"
         ("myself", "life", "end", "kill"),
         r"\bk[i]?l+(?:ing|ed|s)?\s+myself\b|\b(?:take|taking|took)\s+my\s+(?:own\s+)?life\b|"
         r"\bend(?:ing)?\s+(?:it\s+all|my\s+(?:own\s+)?life|it\s+(?:tonight|today|now|for\s+"
         r"good|once\s+and\s+for\s+all)|everything|things(?!\s+with))\b|"
         r"\b(?:going\s+to|want\s+to|will|ready\s+to|gonna|about\s+to|decided\s+to)\s+"
         r"(?:\w+\s+)?end\s+it\s*$|"
         r"\b(?:want|wants)\s+(?:someone|somebody|you|them)\s+to\s+kill\s+me\b"),
        ("en_not_be_here",  # "I don't want to be here anymore", "don't want to live"
         ("want",),
         r"\b(?:do\s+not|never|no\s+longer)\s+(?:\w+\s+)?want\s+to\s+(?:be\s+)?(?:here|"
         r"around|alive|on\s+this\s+earth|in\s+this\s+world)\b(?:\s+anymore|\s+no\s+more|"
         r"\s*$|\s+(?:for|because|and|i)\b)|\b(?:do\s+not|never|no\s+longer)\s+(?:\w+\s+)?"
         r"want\s+to\s+(?:live|exist|be\s+alive|wake\s+up)\b(?!\s+(?:in|at|with|near|there|"
         r"on|abroad|together|alone|early|before)\b)"),
        ("en_wish_dead",  # "I wish I was dead", "wish I'd never been born", "better off dead"
         ("wish", "dead", "wake", "sleep", "disappear", "exist"),
         r"\bwish(?:ing|ed)?\s+i\s+(?:was|were|had|could|would)\s+(?:\w+\s+){0,2}?(?:dead|"
         r"never\s+(?:been\s+)?"
         r"born|not\s+(?:been\s+)?born|gone|not\s+here|not\s+alive|disappear|die|sleep\s+"
         r"forever|not\s+wake\s+up|stop\s+existing|vanish|cease\s+to\s+exist)|"
         r"\bbetter\s+off\s+dead\b|\brather\s+be\s+dead\b|\bhop(?:e|ing)\s+(?:that\s+)?i\s+"
         r"(?:\w+\s+){0,2}?(?:do\s+not|never|will\s+not)\s+wake\s+up\b|"
         r"\b(?:want\s+to|could|just)\s+(?:\w+\s+)?(?:not\s+exist|stop\s+existing|cease\s+to\s+"
         r"exist)\b|\bdisappear\s+(?:\w+\s+){0,3}?(?:for\s+good|forever)\b|\b(?:never|not)\s+wake\s+up\s+again\b|\b(?:sleep|go\s+to\s+sleep)\s+"
         r"(?:forever|and\s+(?:never|not)\s+wake\s+up)\b|\bwant\s+to\s+disappear\b"),
        ("en_no_point",  # "no point in living", "life is not worth living", "nothing to live for"
         ("point", "worth", "live", "reason", "tired", "done", "give", "way", "thought",
          "thinking", "meaningless", "hopeless", "want out"),
         r"\b(?:no|what\s+is\s+(?:\w+\s+)?the|is\s+there\s+(?:\w+\s+)?(?:a|any))\s+point\s+"
         r"(?:in\s+|of\s+)?(?:living|life|"
         r"going\s+on|being\s+alive|existing|carrying\s+on|staying\s+alive)\b|"
         r"\b(?:life|living)\s+(?:is\s+not|is\s+no\s+longer)\s+worth\s+(?:living|it)\b|"
         r"\bnot\s+worth\s+living\b|\b(?:life|living|existing|my\s+life|everything)\s+"
         r"(?:is|feels)\s+(?:\w+\s+)?(?:pointless|meaningless|hopeless)\b|"
         r"\bi\s+(?:just\s+)?want\s+out\s*$|\bnothing\s+(?:left\s+)?to\s+live\s+for\b|\bno\s+reason\s+"
         r"to\s+(?:live|stay|keep\s+going|go\s+on|be\s+alive|exist)\b|\btired\s+of\s+(?:living|"
         r"being\s+alive|life|existing)\b|\bdone\s+with\s+(?:life|living|it\s+all)\b|"
         r"\bgive\s+up\s+on\s+life\b|\bno\s+way\s+out\b|\bthoughts\s+(?:of|about)\s+"
         r"(?:dying|death|ending\s+it|ending\s+my\s+life|not\s+being\s+here)\b|"
         r"\bthinking\s+(?:a\s+lot\s+)?about\s+(?:dying|death|ending\s+it|ending\s+my\s+life|"
         r"not\s+being\s+here|not\s+existing)\b|\bdark\s+thoughts\b"),
        ("hopeless_so_stop",  # "niks gaat ooit nog beter worden, dus ik stop ermee"
         ("stop", "kap", "quit", "end", "done"),
         r"\b(?:(?:niks|niets)\s+(?:gaat|wordt|zal)\s+(?:\w+\s+){0,2}?(?:beter|goed)|"
         r"nooit\s+(?:meer\s+|nog\s+)?(?:beter|goed)|geen\s+zin\s+(?:meer|in)|"
         r"(?:nothing|never)\s+(?:\w+\s+){0,4}?(?:get|be)\s+(?:any\s+)?better|"
         r"(?:will|is)\s+not\s+(?:\w+\s+){0,2}?(?:get|be)\s+(?:any\s+)?better|no\s+point)\s+"
         r"(?:\w+\s+){0,4}?(?:dus|daarom|so|and\s+so)\s+(?:ik|i)\s+(?:(?:stop|kap)\s+"
         r"(?:ermee|er\s+mee)\b(?!\s+met)|(?:stop|kap|quit)\s*$|am\s+ending\s+(?:it|this|my\s+"
         r"life)|(?:will|am\s+going\s+to)\s+end\s+(?:it|this|my\s+life)|am\s+done\s*$|"
         r"am\s+done\s+(?:for\s+good|with\s+(?:it\s+all|life|everything)))"),
        ("en_cant_go_on",  # "I can't go on", "I can't do this anymore", "can't take it anymore"
         ("can",),
         r"\bcan\s+not\s+(?:go\s+on|keep\s+going|carry\s+on)\b(?=\s*$|\s+(?:like\s+this|"
         r"anymore|living|with\s+(?:my\s+)?life|without|and|i)\b)|\bcan\s+not\s+(?:do|take|"
         r"handle|bear)\s+(?:this|it|life)\s+(?:anymore|any\s+longer)\b"),
        ("en_want_it_to_end",  # "I want it all to end", "I just want the pain to stop"
         ("want",),
         r"\bwant\s+(?:it\s+all|everything|it|all\s+of\s+this|this|my\s+life|the\s+pain)\s+"
         r"(?:\w+\s+)?to\s+(?:end|stop|be\s+over)\b(?!\s+(?:at|by|soon|before|after))"),
    ),
    # Saying goodbye; a farewell or suicide note.
    "goodbye": (
        ("pass_on_message",  # "zeg tegen mijn zus dat het niet haar schuld is"
         ("zeg", "vertel", "tell"),
         r"\b(?:zeg|vertel)\s+(?:\w+\s+)?(?:tegen\s+)?(?:iedereen|(?:mijn|m)\s+(?:\w+\s+)?"
         r"(?:moeder|mama|mam|vader|papa|pap|ouders|zus|zusje|broer|broertje|kinderen|kids|zoon|"
         r"dochter|vrouw|man|partner|vriend|vriendin|familie|vrienden))\s+"
         r"(?:\w+\s+){0,2}?dat\s+(?:ik\s+(?:\w+\s+){0,3}?(?:hou|houd|hield|spijt|sorry)|het\s+"
         r"(?:\w+\s+)?niet\s+(?:haar|zijn|hun|jullie|jouw|hun|iemands)\s+schuld)\b|"
         r"\btell\s+(?:everyone|my\s+(?:\w+\s+)?(?:mum|mom|mother|dad|father|parents|sister|"
         r"brother|kids|children|son|daughter|wife|husband|partner|girlfriend|boyfriend|family|"
         r"friends))\s+(?:\w+\s+)?(?:that\s+)?(?:i\s+(?:am\s+sorry|love|loved|was\s+sorry)|it\s+(?:is|was)\s+not\s+(?:their|her|his|your)\s+fault)\b"),
        ("nl_farewell_letter",  # "afscheidsbrief", "brieven geschreven voor mijn familie"
         ("afscheids", "brie"),
         r"\bafscheids(?:brief|brieven|bericht|berichten|video)\b|\bbrieven?\s+(?:\w+\s+)?"
         r"geschreven\s+(?:voor|aan)\s+(?:iedereen|mijn\s+(?:kinderen|ouders|moeder|vader|partner|"
         r"vrouw|man|familie|zus|broer|vrienden|dierbaren|lief|vriend|vriendin))\b"),
        ("en_farewell_note",  # "goodbye note", "suicide note", "goodbye letter"
         ("note", "letter", "video", "written"),
         r"\b(?:goodbye|farewell|final|last)\s+(?:note|letter|letters|video)\b|\bwritten\s+"
         r"(?:\w+\s+)?(?:notes|letters)\s+(?:to|for)\s+(?:my|everyone)"),
        ("last_message",  # "dit is mijn laatste bericht", "this is my last message"
         ("laatste", "last", "final"),
         r"\b(?:dit\s+is|this\s+is|hier\s+is|here\s+is)\s+(?:mijn|my)\s+(?:allerlaatste|"
         r"laatste|last|final)\s+(?:bericht|berichtje|message|post|text|woord|words)\b"
         r"(?!\s+(?:voor\s+vandaag|voor\s+vanavond|voor\s+nu|tot|for\s+(?:today|tonight|now)|"
         r"before\s+(?:bed|i\s+(?:go|sleep))|until|vandaag|vanavond))"),
        ("farewell_words",  # "vaarwel iedereen", "goodbye forever", "ik neem afscheid van iedereen"
         ("vaarwel", "bye", "afscheid", "ziens"),
         r"\bvaarwel\b(?!\s+(?:\d+|zeggen\s+tegen\s+(?:roken|alcohol)))|\b(?:goodbye|bye)\s+"
         r"(?:everyone|everybody|all|world|forever|for\s+good|cruel\s+world)\b|"
         r"\bneem\s+afscheid\s+van\s+(?:iedereen|jullie|het\s+leven|de\s+wereld)\b|"
         r"\btot\s+ziens\s+(?:voor\s+altijd|allemaal\s+voor\s+altijd)\b"),
        ("this_is_goodbye",  # "dit is mijn afscheid", "this is goodbye, thank you for everything"
         ("afscheid", "goodbye"),
         r"\bdit\s+is\s+(?:mijn|het|een)\s+afscheid\b(?=\s*$|\s+(?:van|aan)\s+(?:iedereen|jullie|"
         r"het\s+leven|de\s+wereld|allemaal)\b)|\bthis\s+is\s+(?:my\s+)?goodbye\b(?=\s*$|\s+"
         r"(?:to\s+(?:everyone|all|the\s+world|you\s+all)|for\s+(?:good|ever)|forever)\b)"),
        ("when_you_read_this",  # "als je dit leest ben ik er niet meer", "by the time you..."
         ("leest", "lezen", "read"),
         r"\b(?:als|wanneer|tegen\s+de\s+tijd\s+dat)\s+(?:je|jij|jullie|u)\s+dit\s+"
         r"(?:leest|lezen)\b|\bby\s+the\s+time\s+you\s+read\s+this\b|\bwhen\s+you\s+read\s+"
         r"this\s+i\b"),
        ("not_here_tomorrow",  # "morgen ben ik er niet meer", "I won't be here tomorrow"
         ("morgen", "will", "hear", "horen"),
         r"\bmorgen\s+ben\s+ik\s+er\s+niet\s+meer\b|\bben\s+(?:ik\s+)?er\s+morgen\s+niet\s+"
         r"meer\b|\bi\s+will\s+not\s+be\s+(?:here|around)\s+(?:tomorrow|much\s+longer|"
         r"for\s+long|anymore)\b|\byou\s+will\s+(?:never|not)\s+hear\s+from\s+me\s+again\b|"
         r"\bjullie\s+horen\s+(?:nooit|niets)\s+meer\s+van\s+(?:mij|me)\b|"
         r"\blast\s+time\s+(?:you|u|anyone|anybody)\s+(?:will\s+)?(?:hear|see|read)\s+(?:from\s+)?"
         r"me\b|\blaatste\s+(?:keer|bericht)\s+dat\s+(?:je|jij|jullie|u|iemand)\s+(?:iets\s+)?"
         r"(?:van\s+(?:me|mij)\s+)?(?:hoort|horen|leest|ziet)\b"),
        ("giving_away",  # "ik heb mijn spullen weggegeven", "gave my dog to the neighbour"
         ("weg", "away", "care", "gave", "given", "giving", "gebracht", "gegeven"),
         r"\b(?:gave|given|giving)\s+(?:away\s+)?my\s+(?:dog|cat|pets?|stuff|things|"
         r"belongings|possessions)\s+(?:away\s+)?to\b|\bmijn\s+(?:hond|kat|"
         r"huisdieren|spullen)\s+(?:\w+\s+){0,3}?(?:naar|bij)\s+(?:de|mijn)\s+(?:buren|buurvrouw|"
         r"buurman|zus|broer|ouders|moeder|vader)\s+(?:\w+\s+)?(?:gebracht|gegeven|weggebracht)\b|"
         r"\b(?:mijn|al\s+mijn)\s+(?:spullen|bezittingen|kat|hond|huisdieren)\s+(?:\w+\s+)?"
         r"(?:weggegeven|weg\s+gegeven|weg\s+te\s+geven)\b|\bgiv(?:en|ing|e)\s+away\s+"
         r"(?:all\s+)?my\s+(?:stuff|things|belongings|possessions)\b|\btake\s+care\s+of\s+"
         r"my\s+(?:cat|dog|kids|children|pets)\s+(?:for\s+me\s+)?(?:when|after|once)\s+"
         r"i\s+am\s+gone\b"),
    ),
    # Feeling a burden, others better off without them.
    "burden": (
        ("better_off_without",  # "iedereen is beter af zonder mij", "better off without me"
         ("zonder", "without"),  # the comparative differs, "zonder mij" stays
         r"\b(?:beter|gelukkiger|makkelijker|blijer|opgeluchter|rustiger)\s+(?:af\s+)?zonder\s+"
         r"(?:mij|me)\b|\bzonder\s+mij\s+(?:\w+\s+){0,3}?(?:beter\s+af|gelukkiger|makkelijker)\b|"
         r"\b(?:better|happier|easier|fine|relieved|lighter|freer)\s+(?:off\s+)?without\s+me\b"),
        ("a_burden",  # "ik ben een last", "ik ben iedereen tot last", "I'm a burden"
         ("last", "burden"),
         r"\bik\s+(?:ben|voel\s+me|voel\s+mij)\s+(?:\w+\s+){0,4}?(?:een\s+|tot\s+)?last\b|"
         r"\bi\s+(?:am|feel\s+like)\s+"
         r"(?:\w+\s+){0,2}?(?:a\s+)?burden\b"),
        ("nobody_would_miss",  # "niemand zou me missen", "no one would notice if I was gone"
         ("niemand", "one", "nobody", "als", "if"),
         r"\bniemand\s+(?:zou|zal|gaat)\s+(?:me|mij)\s+(?:\w+\s+)?missen\b|"
         r"\b(?:no\s+one|nobody)\s+(?:would|will|is\s+going\s+to)\s+(?:\w+\s+)?(?:miss\s+me|"
         r"notice|care)\b|\bals\s+ik\s+(?:er\s+)?(?:\w+\s+){0,2}?niet\s+meer\s+(?:ben|was|"
         r"zou\s+zijn|besta|bestond|leef|leefde)\b|\bals\s+ik\s+(?:\w+\s+)?(?:dood|weg)\s+"
         r"(?:ben|was|zou\s+zijn)\b|\bif\s+i\s+(?:was|were|am)\s+"
         r"(?:\w+\s+)?(?:gone|dead|not\s+(?:here|around|alive)|no\s+longer\s+(?:here|around))\b|"
         r"\bif\s+i\s+(?:was|were)\s+not\s+(?:here|around|alive)\b"),
        ("worth_more_dead",  # "zij hebben meer aan mijn levensverzekering", "worth more dead"
         ("verzekering", "insurance", "dood", "dead"),
         r"\b(?:levensverzekering|overlijdensverzekering|life\s+insurance)\b[^\n]{0,60}?"
         r"\b(?:meer\s+aan|beter\s+af|better\s+off|worth\s+more|uitkeert|uitbetaald|pays?\s+out|"
         r"payout|would\s+get|zouden\s+krijgen|dan\s+aan)\b|\b(?:meer\s+aan|better\s+off\s+with|"
         r"beter\s+af\s+met)\s+(?:\w+\s+){0,4}?(?:levensverzekering|life\s+insurance)\b|"
         r"\b(?:meer\s+waard|worth\s+more)\s+(?:\w+\s+)?(?:dood|dead)\b"),
    ),
    # Veiled signals: final arrangements, calm after a decision, hints at not being there.
    "indirect": (
        ("final_arrangements",  # "mijn testament ligt klaar", "I've put my affairs in order"
         ("testament", "affairs", "will", "zaken", "geregeld"),
         r"\btestament\s+(?:\w+\s+){0,2}?(?:klaar|geschreven)\b|\baffairs\s+in\s+order\b|\bmy\s+will\s+(?:is\s+)?(?:written|ready|"
         r"done|sorted|signed)\b|\b(?:wrote|written|made|signed)\s+my\s+will\b|"
         r"\bmijn\s+zaken\s+(?:\w+\s+)?(?:op\s+orde|geregeld)\b|\balles\s+(?:is\s+)?"
         r"geregeld\b(?=[\s\S]{0,200}\b(?:voorgoed|voor\s+altijd|afscheid|eindelijk\s+stil|"
         r"eeuwige\s+rust)\b)"),
        ("finality",  # "binnenkort is het allemaal stil", "soon it won't matter anymore"
         ("stil", "rust", "vrede", "verlost", "matter", "over", "peace", "free"),
         r"\b(?:binnenkort|straks|bijna|snel)\b[^\n]{0,40}?\b(?:allemaal|voorgoed|voor\s+altijd)"
         r"\s+(?:\w+\s+){0,2}?(?:stil|rust|vrede|verlost)\b|\b(?:eeuwige|voorgoed)\s+rust\b|"
         r"\bsoon\s+(?:\w+\s+){0,2}?(?:will\s+not|not)\s+matter\s*(?:anymore\s*)?$|"
         r"\b(?:soon|tonight)\s+(?:it|this|everything)\s+will\s+(?:all\s+)?be\s+over\b|"
         r"\b(?:it|this|everything)\s+will\s+(?:all\s+)?be\s+over\s+(?:soon|tonight)\b|\bwill\s+(?:finally\s+)?be\s+(?:at\s+"
         r"peace|free)\s+(?:soon|tonight)\b"),
        ("no_reply_you_know_why",  # "als ik morgen niet reageer weet je waarom"
         ("waarom", "why"),
         r"\b(?:als|if)\s+(?:ik|i)\s+(?:\w+\s+){0,3}?(?:niet|do\s+not|never|no\s+longer)\s+"
         r"(?:meer\s+)?(?:\w+\s+)?(?:reageer|antwoord|reply|answer|respond|online\s+kom|"
         r"come\s+online|show\s+up|wakker\s+word|wake\s+up)\b[\s\S]{0,40}?\b(?:weet\s+(?:je|jij|"
         r"jullie|u)\s+(?:wel\s+)?waarom|you\s+(?:will\s+)?know\s+why)\b"),
        ("roof_access",  # "welk dak kun je zonder sleutel op", "a roof you can get onto"
         ("roof", "dak"),  # the roof and a way in unnoticed
         r"\b(?:roof|rooftop|roofs|dak|daken)\b[^\n]{0,50}?\b(?:without\s+(?:a\s+key|being\s+"
         r"seen|anyone\s+noticing)|unlocked|zonder\s+sleutel|ongezien|ongemerkt|zonder\s+dat\s+"
         r"iemand)\b|\b(?:without\s+a\s+key|zonder\s+sleutel|ongemerkt|ongezien)\b[^\n]{0,40}?"
         r"\b(?:roof|rooftop|dak)\b"),
        ("not_around_much_longer",  # "I won't be a problem much longer", "haal kerst niet"
         ("will", "haal", "niet"),
         r"\bi\s+will\s+not\s+be\s+(?:\w+\s+){0,3}?(?:around|here|a\s+problem|a\s+burden|"
         r"alive|bothering\s+(?:you|anyone))\b[^\n]{0,30}?\b(?:much\s+longer|for\s+long|"
         r"any\s+longer|for\s+(?:my|your)\s+(?:birthday|christmas|wedding|graduation))\b|"
         r"\b(?:haal|maak)\s+(?:ik\s+)?(?:mijn\s+verjaardag|de\s+kerst|kerst|oud\s+en\s+nieuw|"
         r"volgende\s+week)\s+(?:\w+\s+)?niet\s+meer\b|\bben\s+(?:ik\s+)?(?:er\s+)?"
         r"(?:niet\s+lang\s+meer|binnenkort\s+niet\s+meer)\s+(?:\w+\s+)?(?:tot\s+last|een\s+"
         r"probleem|hier|er)\b"),
    ),
}

# ============================================================================================
# 5. Indirect signal: loss or despair + a question seeking means, in one message
# ============================================================================================

_DESPAIR_CONTEXT = re.compile(
    r"\b(?:ontslagen|\w+\s+kwijt\w*|kwijtgeraakt|alles\s+verloren|relatie\s+"
    r"(?:is\s+)?uit|uitgemaakt|heeft\s+me\s+verlaten|bij\s+me\s+weg|gescheiden|scheiding|"
    r"failliet|schulden|uit\s+huis\s+gezet|dakloos|gezakt|afgewezen|hopeloos|uitzichtloos|"
    r"zinloos|waardeloos|eenzaam|kan\s+niet\s+meer|maakt\s+(?:\w+\s+)?niet\s+(?:meer\s+)?"
    r"uit|niets\s+doet\s+(?:er\s+)?toe|kapot|overleden|verloren|mislukt|ik\s+ben\s+op|leeg|"
    r"geen\s+hoop|wanhopig|alles\s+is\s+zwart|niemand\s+(?:\w+\s+)?(?:om|geeft|heeft)|"
    r"lost\s+(?:my|our|the)\s+\w+|lost\s+everything|fired|laid\s+off|sacked|dumped|"
    r"broke\s+up|left\s+me|divorce\w*|bankrupt|evicted|homeless|debts?|failed|rejected|"
    r"hopeless|worthless|pointless|nothing\s+matters|does\s+not\s+matter\s+anymore|"
    r"(?:no\s+one|nobody)\s+cares|all\s+alone|so\s+alone|lonely|empty|can\s+not\s+take|"
    r"gave\s+up|giving\s+up|desperate|miserable|broken|died|passed\s+away|no\s+future|"
    r"what\s+is\s+the\s+point|had\s+enough|genoeg\s+gehad)\b"
)
_MEANS_QUESTION = re.compile(
    r"\b(?:hoogste|hoge|tallest|highest|high|tall)\s+(?:\w+\s+){0,3}?(?:brug|bruggen|bridge|"
    r"bridges|gebouw|gebouwen|building|buildings|flat|flats|toren|torens|tower|towers|dak|"
    r"daken|roof|roofs|rooftops?|parkeergarages?|parking\s+garages?|klif|kliffen|cliffs?)"
    r"\b|\b(?:brug|bruggen|bridge|bridges|gebouw|gebouwen|building|buildings|flat|flats|"
    r"toren|torens|tower|towers|parkeergarage|parking\s+garage|cliff|cliffs|klif)\s+"
    r"(?:\w+\s+){0,5}?(?:hoogste|hoogst|hoog|high|highest|tallest|tall)\b|"
    r"\bhoe\s+(?:hoog|diep|koud)\s+(?:\w+\s+){0,3}?(?:brug|gebouw|flat|toren|water|rivier|"
    r"gracht|zee|meer|kanaal|val)|\bhow\s+(?:high|tall|deep|cold)\s+(?:\w+\s+){0,3}?"
    r"(?:bridge|building|tower|fall|drop|water|river|sea|lake|canal)|"
    r"\b(?:trein|treinen|train|trains|intercity|goederentrein|freight\s+trains?)\s+"
    r"(?:\w+\s+){0,4}?(?:langs|voorbij|door|pass|passes|passing|through|hard|fast|fastest|"
    r"snelst|niet\s+stopt|not\s+stop|rijdt|rijden|komt|komen|schedule|times)|"
    r"\b(?:waar|where)\s+(?:\w+\s+){0,4}?(?:kopen|koop|krijgen|halen|get|buy|find|score)\s+"
    r"(?:\w+\s+){0,3}?(?:touw|rope|pistool|gun|wapen|weapon|vuurwapen|firearm|helium|"
    r"houtskool|charcoal|barbituraten|barbiturates|pentobarbital|cyanide|gif|poison|"
    rf"{_PILLS})\b|\bhoeveel\s+(?:\w+\s+){{0,2}}?{_PILLS}\b|\bhow\s+(?:many|much)\s+"
    rf"(?:\w+\s+){{0,2}}?{_PILLS}\b|\b(?:max(?:imale)?|maximum)\s+(?:dosis|dose)\b|"
    r"\bdoet\s+(?:verdrinken|ophangen|springen|doodbloeden|verstikken)\s+(?:\w+\s+)?pijn\b|"
    r"\b(?:does|is)\s+(?:drowning|hanging|jumping|bleeding\s+out|suffocating)\s+"
    r"(?:hurt|painful)\b|\bhow\s+long\s+(?:does\s+it\s+take|can\s+you\s+(?:survive|last))\s+"
    r"(?:\w+\s+){0,3}?(?:drown|bleed|suffocate|die|without\s+(?:air|oxygen))|"
    r"\b(?:het\s+dak\s+op|on(?:to)?\s+the\s+roof|roof\s+access|rooftop\s+access)\b"
)

# ============================================================================================
# Detection
# ============================================================================================

_Compiled = tuple[str, tuple[str, ...], re.Pattern[str]]


def _compile(patterns: tuple[_Pattern, ...]) -> tuple[_Compiled, ...]:
    return tuple((name, needles, re.compile(body, re.M)) for name, needles, body in patterns)


_EXCLUSION_RES = _compile(_EXCLUSIONS)
_CATEGORY_RES: tuple[tuple[str, tuple[_Compiled, ...]], ...] = tuple(
    (category, _compile(_PATTERNS[category])) for category in CATEGORIES if category in _PATTERNS
)


def _drop_news_clause(clause: str) -> str:
    """Drop a clause that reports news or fiction, unless it says something about the writer.

    "las in de krant dat het aantal zelfdodingen stijgt" is dropped; "the news makes me want
    to kill myself" is kept.
    """
    if not _NEWS.search(clause):
        return clause
    reporter = _REPORTER.match(clause)
    if not reporter and not _NEWS_FRAME.search(clause):
        return clause
    rest = clause[reporter.end():] if reporter else clause
    return clause if _ME.search(rest) else "#"


def _prepare(text: str) -> str:
    """Normalise per clause, drop distant-past clauses and mask exclusions.

    Args:
        text: The raw message.

    Returns:
        Normalised clauses joined by newlines, with excluded spans replaced by ``#``.
    """
    prepared = _TURN.sub("\n", _normalise(text, keep_breaks=True))
    past = _PAST_FRAME.search(prepared) is not None
    weak_past = _PAST_WEAK.search(prepared) is not None
    if (past or weak_past) and not _RELAPSE.search(prepared):
        recovered = weak_past and _RECOVERED.search(prepared) is not None
        prepared = "\n".join(
            "#" if (_PAST_FRAME.search(clause) and not _ONGOING.search(clause))
            or (recovered and _PAST_WEAK.search(clause) and not _RECENT.search(clause)
                and not _ONGOING.search(clause))
            else clause
            for clause in prepared.split("\n")
        )
    if _NEWS.search(prepared):
        prepared = "\n".join(map(_drop_news_clause, prepared.split("\n")))
    if _LAUGH.search(prepared):
        prepared = _HYPERBOLE.sub(" # ", prepared)
    for _name, needles, regex in _EXCLUSION_RES:
        if any(map(prepared.__contains__, needles)):
            prepared = regex.sub(" # ", prepared)
    return prepared


def detect_crisis(text: str) -> CrisisSignal | None:
    """Detect whether a message may signal suicide, self-harm or acute danger.

    Args:
        text: The raw message as the person typed it.

    Returns:
        The first matching :class:`CrisisSignal` in priority order, or ``None`` when no
        pattern fires.
    """
    if not text or not text.strip():
        return None
    prepared = _prepare(text)
    occurs = prepared.__contains__
    for category, patterns in _CATEGORY_RES:
        for name, needles, regex in patterns:
            if any(map(occurs, needles)) and regex.search(prepared):
                return CrisisSignal(category=category, pattern=name)
    if _MEANS_QUESTION.search(prepared) and _DESPAIR_CONTEXT.search(prepared):
        return CrisisSignal(category="indirect", pattern="despair_plus_means_question")
    pair = broad_signal(prepared)
    if pair is not None:
        return CrisisSignal(category="indirect", pattern=f"broad:{pair}")
    return None
