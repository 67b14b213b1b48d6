"""The broad net behind the crisis patterns: a danger concept near a marker of intent or time.

The named patterns in `bot.crisis.rules` are precise but only catch phrasings someone thought of. On
messages written blind, about half of real crisis messages used words no pattern expected
("cutting rn, it won't stop bleeding", "na vanavond maakt het niet meer uit"). What they share
is simpler: something that can kill or hurt, a farewell, or words of finality, together with
something that makes it about now or about the writer's intent.

Each concept below pairs with the marker groups that make it urgent; a pair fires when both
occur within `WINDOW` words of the text `bot.crisis.rules` has already cleaned of idioms, negations,
past-tense stories and third-person talk. Clauses about fiction, games or medication taken as
prescribed are left out (the named patterns still see them). It trades some false alarms for
recall: a false alarm costs one kind reply with the crisis lines; a miss can cost a life.
"""

from __future__ import annotations

import re

WINDOW = 14  # words between a concept and its marker
FAREWELL_WINDOW = 25  # farewells and their finality often sit a sentence apart

MARKERS = {
    "now": r"\bnu\b|straks|right\s+now|\bnow\b|today|vandaag|deze\s+week|this\s+week",
    "night": r"vanavond|vannacht|tonight|after\s+tonight|na\s+vanavond|tegen\s+morgen|"
    r"before\s+morning|voor\s+morgen|(?:dit|this)\s+weekend|binnenkort",
    "intent": r"\bik\s+ga\b(?!\s+#)|ga\s+ik\b|going\s+to|\bi\s+will\b|\bik\s+wil\b|\bi\s+want\s+to|"
    r"van\s+plan|(?:my|mijn|the|het)\s+plan\s+(?:is|to|om)|plan\s+(?:to|om)\b|klaar\s+voor|ready|"
    r"genoeg\s+van|done\s+with|had\s+enough|kan\s+niet\s+meer|can\s+not\s+(?:do|take|go)|"
    r"trek\s+het\s+niet|ik\s+doe\s+het|do\s+it\b|doing\s+it\b|be\s+done\b|er\s+klaar\s+mee|"
    r"er\s+vanaf|\b(?:ben|am)\s+done\b|decided|besloten|moed\s+vinden|find\s+the\s+(?:courage|nerve)|"
    r"\bwish\b|hoop\s+(?:dat|ik)|zou\s+(?:graag\s+)?willen|could\s+just|besloot|besluit|"
    r"asking\s+for\s+real|vraag\s+(?:het\s+)?(?:voor\s+)?echt|not\s+for\s+a\s+friend|serieus",
    "doing": r"\bben\s+aan\s+het|\bi\s+am\s+\w+ing\b|\bheb\s+net|\bjust\b|\bal\s+mijn|all\s+my|"
    r"everything|\balles\b|\bstill\b|nog\s+steeds|won\s*t\s+stop|will\s+not\s+stop|stopt\s+niet|"
    r"deeper|dieper|counted|geteld|gespaard|saved\s+up",
    "seeking": r"dodelijk|lethal|fatal|deadly|genoeg\s+om|enough\s+to|hoogste|tallest|highest|"
    r"painless|pijnloos|does\s+it\b|doet\s+het|werkt\s+het|how\s+easy|hoe\s+(?:makkelijk|simpel)|"
    r"how\s+long\s+does\s+it\s+take|hoe\s*lang\s+duurt\s+het|(?:to|om\s+te)\s+(?:die|sterven)|"
    r"\bdoodga|kills?\s+you|je\s+dood|make\s+sure|zeker\s+(?:\w+\s+)?(?:niet\s+)?overleeft|"
    r"survive|overleven|sterk\s+genoeg|strong\s+enough|how\s+much\s+weight|"
    r"(?:hold|houden|dragen)\s+(?:een\s+)?(?:volwassene|adult|person|mens|my\s+weight)",
    "leap": r"\bspring|\bjump|go\s+over|over\s+(?:the|de)\s+(?:edge|rand|railing|reling)|railing|"
    r"reling|voor\s+(?:de|een)\s+trein|in\s+front\s+of|onder\s+de\s+trein|ophang|"
    r"hang\s+(?:myself|mezelf)|\bknoop|be\s+done\b|er\s+klaar\s+mee|engine\s+running|motor\s+aan|"
    r"tuinslang|\bhose\b|(?:does\s+not|doesnt|niet)\s+stop|zonder\s+te\s+stoppen|"
    r"rijdt\s+(?:hier\s+)?(?:zo\s+)?door|standing\s+on|sta\s+(?:nu\s+)?op\s+(?:de|het)\s+(?:brug|dak|rand)|"
    r"this\s+is\s+it|dit\s+is\s+het|that\s+is\s+the\s+one",
    "threat": r"\bdoor\b|\bdeur\b|\bgang\b|get\s+in|binnen\s*komen|breaking\s+in|breekt|"
    r"outside|buiten|dreigt|threaten|bang|scared|afraid|help|window|raam|op\s+slot|locked|"
    r"dronken|drunk|following|volgt",
    "rumination": r"blijf\s+er\s+(?:maar\s+)?aan\s+denken|thinking\s+about\s+it|keep\s+thinking|"
    r"denk\s+er\s+(?:steeds|de\s+hele\s+tijd)\s+aan|weet\s+waar|know\s+where",
    "harm": r"kill|dood|pijn|hurt|harm|\bsnij|\bcut\b|spring|jump|stop\s+(?:her|him|haar|hem)|"
    r"evil|kwaad|straf|punish|afmaken|end\s+it",
    # A decision that has been made, after long thought.
    "decided": r"(?:lang|long)\s+(?:genoeg\s+)?(?:over\s+)?(?:nagedacht|enough)|"
    r"thought\s+about\s+(?:it|this)\s+(?:long\s+enough|for\s+(?:a\s+)?long)|"
    r"(?:mijn\s+)?besluit\s+(?:staat\s+vast|is\s+genomen)|mind\s+is\s+made\s+up|"
    r"(?:ik\s+heb|i\s+have)\s+(?:het\s+)?(?:besloten|decided)|"
    r"(?:niemand|no\s+one|nobody)\s+(?:houdt|can\s+stop|will\s+stop)\s+(?:me|mij)",
}

# concept name → (pattern, marker groups that make it urgent)
CONCEPTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "substance": (
        r"\bpil(?:len|letjes)?\b|slaappil|\bpills?\b|\bmeds\b|medicijn|medicatie|tabletten|"
        r"paracetamol|insulin|slaapmiddel|overdos|\bod\b|scheermes|razor|\bblade|mesje|"
        r"\bgif\b|poison|bleach|antivries|antifreeze",
        ("night", "intent", "doing", "seeking"),
    ),
    # Everyday places and things: urgent only with a leap or a question about means.
    "place": (
        r"\btouw\b|\brope\b|strop|noose|\bbrug\b|bridge|\bspoor\b|\btrein\b|\btrain\b|perron|"
        r"platform|\bdak\b|\broof\b|balkon|balcony|garage|uitlaat|exhaust|pistool|\bgun\b|"
        r"verdieping|\bfloors?\b|\bflat\b|\bbalk\b|\bbeam\b",
        ("leap", "seeking"),
    ),
    "act": (
        r"\bspring|\bjump|ophang|hang\s+(?:myself|mezelf)|verdrink|drown|\bsnij|\bcutting|"
        r"\bcut\s+(?:myself|me|mezelf|deep)|\bbloed|\bbleed|\bbled\b|slikken|\bswallow|geslikt|"
        r"\btook\s+(?:all|every|\d+|a\s+lot|too)|\bmixed\b|gemengd|\bdoodgaan|\bsterven\b|"
        r"\b(?:to|wanna|gonna|will|want|let\s+me|i)\s+die\b|\bdood\s+(?:gaan|zijn|wil)|"
        r"(?<!een\s)einde\s+(?:aan\s+)?maken(?!\s+met)|end\s+it\b(?!\s+with)|"
        r"\beind(?:e)?\s+aan\s+(?:te\s+)?mak\w*\b(?!\s+met)|"
        r"end\s+(?:my|mijn)\s+life|kill\s+myself",
        ("now", "night", "intent", "doing", "seeking"),
    ),
    "violence": (
        r"\bmes\b|messen|knife|knives|\bgun\b|pistool|wapen|weapon|kill\s+me|vermoordt?\s+me|"
        r"maakt\s+me\s+af|me\s+afmaken|afmaakt|\bwurg|strangl|bij\s+(?:mijn|m)\s+keel|"
        r"\bthroat\b|slaat\s+me|sloeg\s+me|hit\s+me|hits\s+me|beats\s+me|beat\s+me|"
        r"(?:me|mij)\s+(?:\w+\s+)?te\s+pakken|(?:gonna|going\s+to|will)\s+get\s+me|"
        r"following\s+me|volgt\s+me|stalk",
        ("now", "night", "threat", "doing"),
    ),
    "farewell": (
        r"afscheid|goodbye|good\s+bye|vaarwel|\bbriefjes?\b|\bbrieven\b|\bletters?\b|\bnotes?\b|"
        r"testament|\bwill\s+is\b|verzekering|insurance|weggegeven|gave\s+away|given\s+away|"
        r"\bgave\s+my\b|\bgegeven\b",
        ("finality", "night"),
    ),
    "finality": (
        r"(?:not|none\s+of\s+this|niets|niet\s+meer)\s+(?:will\s+)?(?:matter|uit\s*maakt|uit\b)|"
        r"maakt\s+(?:het\s+)?(?:allemaal\s+)?niet\s+meer\s+uit|for\s+good|voorgoed|"
        r"where\s+i\s+am\s+going|waar\s+ik\s+heen\s+ga|will\s+not\s+be\s+needing|"
        r"niet\s+meer\s+nodig|before\s+i\s+(?:go|log|leave)|voor\s*dat\s+ik\s+ga|"
        r"als\s+ze\s+me\s+vinden|when\s+they\s+find\s+me|(?:was|is)\s+not\s+(?:her|his|your|their)"
        r"\s+fault|niet\s+(?:jouw|haar|zijn|jullie)\s+schuld|geen\s+zorgen\s+meer|"
        r"(?:worry|care)\s+about\s+me\s+anymore|is\s+(?:dat|het)\s+opgelost|"
        r"(?:merci|bedankt|dank\s+je|thanks|thank\s+you)\s+(?:voor\s+alles|for\s+everything)|"
        r"sorry\s+(?:for|voor)\s+(?:everything|alles)|this\s+is\s+(?:goodbye|it\b)|"
        r"dit\s+is\s+(?:het\s+)?(?:afscheid|einde)|i\s+love\s+you\s+all|ik\s+hou\s+van\s+jullie|"
        r"niet\s+wakker\s+word|do\s+not\s+wake\s+up|will\s+not\s+be\s+(?:around|here)|"
        r"(?:het|the|dit|this)\s+weekend\s+niet\s+(?:meer\s+)?halen|niet\s+meer\s+halen|"
        r"will\s+not\s+make\s+it\s+(?:to|through|past)|laatste\s+keer\s+(?:dat|is\s+dat)\s+ik|"
        r"last\s+time\s+i\s+(?:will\s+)?see|none\s+of\s+it\s+matters|"
        r"(?:thank\s+(?:you|u)|thanks|bedankt|dank\s+je)\s+(?:for|voor)\s+(?:trying|het\s+proberen)|"
        r"if\s+i\s+disappear|als\s+ik\s+verdwijn|(?:do\s+not|dont)\s+be\s+sad|niet\s+verdrietig\s+zijn|"
        r"niet\s+ongerust|(?:niks|niets)\s+meer\s+van\s+(?:mij|me)\s+hoort|never\s+hear\s+from\s+me|"
        r"(?:zo\s+)?moe\s+van\s+(?:het\s+)?vechten|tired\s+of\s+fighting|ik\s+geef\s+het\s+op|"
        r"\bi\s+give\s+up\b|dit\s+was\s+het\s+dan|this\s+was\s+it|"
        r"voor\s+ik\s+(?:ga|er\s+niet\s+meer)|alles\s+geregeld|everything\s+sorted|affairs\s+in\s+order|"
        r"hoeft\s+(?:het\s+)?(?:allemaal\s+)?niet\s+meer|who\s+gets\s+my|wie\s+(?:mijn|m)\s+\w+\s+krijgt|"
        r"(?:paid|betaald)\s+(?:back\s+)?(?:everyone|iedereen)|deleted\s+(?:all\s+)?my\s+(?:socials|accounts)|"
        r"weirdly\s+calm|vreemd\s+rustig|(?:it\s+is|its)\s+happening|het\s+gaat\s+gebeuren|"
        r"will\s+not\s+need|tonights?\s+(?:is\s+)?the\s+night|vanavond\s+is\s+het\s+zover|"
        r"not\s+(?:even\s+)?scared\s+anymore|niet\s+eens\s+bang\s+meer|"
        r"(?:dit|this)\s+(?:wordt|will\s+be|is\s+going\s+to\s+be)\s+(?:mijn|my)\s+laatste|"
        r"(?:mijn|my)\s+laatste\s+(?:kerst|verjaardag|zomer)|my\s+last\s+(?:christmas|birthday|summer)|"
        r"never\s+wake\s+up|nooit\s+meer\s+wakker",
        ("night", "intent", "doing", "finality"),
    ),
    # Access to a firearm is a risk whoever owns it ("his hunting rifle").
    "firearm": (
        r"jachtgeweer|\bgeweer|\brifle\b|shotgun|firearm|vuurwapen",
        ("rumination", "intent", "night", "seeking"),
    ),
    # A quick or painless way is asked for.
    "method": (
        r"(?:painless|pijnloze?|fastest|quickest|easiest|snelste|makkelijkste)\s+(?:\w+\s+)?"
        r"(?:way|manier|method|methode)\s+(?:to|om)\s+(?:go|die|end|te\s+gaan|dood|eruit)",
        ("intent", "now", "night", "finality", "seeking"),
    ),
    "voices": (
        r"\bstem\b|\bstemmen\b|\bvoice\b|\bvoices\b",
        ("harm",),
    ),
    # Everything prepared, and the decision made: a plan in ordinary words.
    "ready": (
        r"alles\s+(?:ligt|staat|is)\s+(?:\w+\s+)?(?:klaar|voorbereid|geregeld)|"
        r"(?:everything|it\s+is\s+all)\s+(?:is\s+)?(?:ready|prepared|set\s+up|in\s+place)",
        ("decided",),
    ),
}
# A farewell with words of finality, or two separate finality phrases, is enough on its own.
MARKERS["finality"] = CONCEPTS["finality"][0]

# A clause with these is left out of the broad net: it is about fiction or a game, or about
# taking medication as intended. The named patterns still run on it.
QUIET = re.compile(
    r"\b(?:novel|roman|boek|book|film|movie|serie|series|netflix|episode|aflevering|game|gaming|"
    r"spel|personage|character|level|eindbaas|boss\s+fight)\b|"
    r"zoals\s+voorgeschreven|as\s+prescribed|supposed\s+to|on\s+time|\btrouw\b|netjes|"
    r"\bweer\s+(?:trouw\s+)?in\b|set\s+an\s+alarm|forgot\s+my|vergeten|\bskip\b|"
    r"per\s+(?:dag|day)|(?:a|per)\s+day\b|mag\s+ik|can\s+i\s+take|huisarts|apotheek|pharmacy"
)
# A concept that belongs to someone else ("zijn pillen", "her meds") is not the writer's.
OTHERS_BEFORE = re.compile(r"(?:\bzijn|\bhaar|\bhis|\bher|\btheir|\bhun)\s+$")
IDIOMS = re.compile(
    r"(?:ik\s+ga\s+)?dood\s+van\s+(?:de\s+)?(?:hitte|honger|dorst|kou|verveling|stress|schaamte|zenuwen)|"
    r"(?:goodbye|afscheid)\s+(?:to|van|aan|nemen\s+van)\s+(?:my\s+|mijn\s+|the\s+|de\s+|het\s+)?"
    r"(?:team|colleagues|collega|class|klas|job|work|werk|school|studie)|"
    r"last\s+day\s+at|laatste\s+werkdag|(?:ground|grond|aarde)\s+(?:to\s+)?(?:swallow|opslokken)|"
    r"(?:jump|spring)\w*\s+(?:in|into|on|op)\s+(?:the\s+|het\s+|de\s+)?(?:pool|zwembad|water|"
    r"lake|meer|sea|zee|trampoline|bed|shower|douche|car|auto|fiets|bike)|"
    r"(?:course|kuur)\s+(?:of\s+)?(?:meds|medication|antibiotics|antibiotica|pills)|"
    r"(?:meds|medicatie|antibiotica)\s*(?:course|kuur)"
)
# "not", "never" just before a concept ("i do not want to die") takes it back.
NEGATED = re.compile(r"\b(?:not|niet|never|nooit|geen|no)\s+(?:\w+\s+){0,2}$")

_MARKER_RES = {name: re.compile(f"(?:{pattern})") for name, pattern in MARKERS.items()}
_CONCEPT_RES = {name: (re.compile(f"(?:{p})"), groups) for name, (p, groups) in CONCEPTS.items()}


def _words_before(text: str, position: int) -> int:
    return len(text[:position].split())


def broad_signal(prepared: str) -> str | None:
    """Name of the concept and marker that fired together in cleaned text, or None.

    Args:
        prepared: Text as `bot.crisis.rules` prepares it (normalised, exclusions masked out).
    """
    clauses = [c for c in prepared.split("\n") if not QUIET.search(c)]
    text = IDIOMS.sub(" ", "\n".join(clauses))
    for concept, (regex, groups) in _CONCEPT_RES.items():
        for hit in regex.finditer(text):
            before = text[max(0, hit.start() - 30) : hit.start()]
            owned = concept != "firearm" and OTHERS_BEFORE.search(before[-12:])
            if owned or NEGATED.search(before):
                continue
            at = _words_before(text, hit.start())
            for group in groups:
                for mark in _MARKER_RES[group].finditer(text):
                    overlaps = mark.start() < hit.end() and hit.start() < mark.end()
                    window = FAREWELL_WINDOW if group == "finality" else WINDOW
                    if not overlaps and abs(_words_before(text, mark.start()) - at) <= window:
                        return f"{concept}+{group}"
    return None
