"""A small Rasa featurizer: sentence-level cue words that separate intents the bag of words mixes.

DIET sees only the words and character n-grams of its training examples, so a message whose key
word is rare in the examples ("vrolijk", "Hoogeveen") has little to go on. This featurizer adds a
handful of binary sentence features from fixed, general word lists (Dutch and English) and from
the directory's own message parser (bot/directory/search.py):

  place / region / group_kind / online / looking_for   a town or province, a kind of group or
                                place, "online", "is er ... in de buurt": finding a group
  what_is                       "wat is", "what does ... mean": asking what something is
  positive / negative / steady / overload   how someone feels: doing well, struggling, managing,
                                            everything is too much
  danger                        words around self-harm, suicide or violence (the crisis intent is
                                a backup behind bot/crisis.py; this only helps the model notice)
  stop                          stop, enough, cancel: ending the current questions
  someone_said / label          "zei", "noemde", "called me": a person said something hurtful;
                                "stigma", "etiket", "vooroordeel", "ashamed": stigma itself
  strengths                     "sterke kanten", "talenten", "good at": the strengths path
  encourage                     "iets hoopvols", "motiveer me", "pep talk": asking for a lift
  everyday                      weather, cooking, homework, sport, mail, travel, tax: the things
                                Herstelgids does not do (out_of_scope)
  (a stop word inside a danger phrase, "stop living", does not count as stop)
  farewell                      "doei", "tot morgen", "see ya": saying goodbye ("dag" and
                                "night" alone are left out: "een goede dag", "at night")
  privacy                       "bewaard", "anoniem", "my data": what happens to the messages
  thanks / skip / disclose      "bedankt", "thx"; "sla over", "next question"; "vertellen",
                                "be open", "tell my boss": thanking, skipping a question, telling
                                others about one's mental health
  negation / negated_positive   a negation anywhere; "niet goed", "not going so well": a positive
                                word up to three words after one (then not counted as positive)
  negated_yes                   "absoluut niet", "of course not": a yes word turned into no

  care_worker / close_one       a psychiatrist, a nurse, a GP, a team: stigma within care; "mijn
                                zoon", "my wife", "als ouder": a naaste (issue 16)
  loss / relapse / trauma       rouw, died, funeral; terugval, back to square one; flashbacks,
                                nightmares, abuse (issue 16)
  doubt / story / vague         "niks voor mij", "never get better"; "verhaal", "got better";
                                "raar", "weird": doubting recovery, asking for a recovery story,
                                a feeling that is hard to name (issue 16; added after the first
                                blind measurement, so the blind set is not blind to these lists)

The lists are general vocabulary, not copies of the training examples. Offline, no models.
The Rasa component that adds them is bot/cue_featurizer.py (this module does not import Rasa).
"""

from __future__ import annotations

import re

import numpy as np

from bot.directory.places import plain

# Whole words or phrases (on plain text: lower case, no accents, punctuation as spaces).
CUES: dict[str, tuple[str, ...]] = {
    "region": (
        "groningen", "friesland", "fryslan", "drenthe", "overijssel", "flevoland", "gelderland",
        "noord holland", "zuid holland", "zeeland", "brabant", "noord brabant", "limburg",
        "vlaanderen", "oost vlaanderen", "west vlaanderen", "vlaams brabant", "flanders",
        "twente", "randstad", "achterhoek", "veluwe", "kempen", "regio", "region", "provincie",
        "province",
    ),
    "looking_for": (
        "ik zoek", "zoek", "zoeken", "op zoek", "waar kan ik", "waar vind ik", "waar is",
        "waar zijn", "is er", "zijn er", "bestaat er", "in de buurt", "bij mij in de buurt",
        "dichtbij", "in de regio", "looking for", "find me", "find a", "where can i", "where is",
        "wheres", "where are", "is there", "are there", "near me", "nearby", "close to",
        "around", "in my area", "near",
    ),
    "what_is": (
        "wat is", "wat zijn", "wat betekent", "wat betekenen", "wat houdt", "wat doet",
        "wat bedoelen", "wat bedoel", "waar staat", "leg uit", "leg eens uit", "uitleg",
        "wat is dat", "wat zijn dat", "what is", "whats", "what are", "what does", "what do",
        "what s a", "explain", "meaning of", "stand for", "what is that", "what exactly",
    ),
    "positive": (
        "goed", "beter", "blij", "trots", "gelukkig", "vrolijk", "sterk", "sterker", "fijn",
        "prima", "super", "top", "topdag", "tof", "toffe", "leuk", "geniet", "genieten",
        "energie", "plannen", "doel", "doelen", "vooruit", "vooruitgang", "groeien", "opgewekt",
        "dankbaar", "hoopvol", "zin in", "goesting", "hartstikke", "geweldig", "opgelucht",
        "good", "better", "great", "happy", "proud", "glad", "cheerful", "strong", "stronger",
        "well", "awesome", "lovely", "wonderful", "excited", "enjoy", "enjoying", "energy",
        "plans", "goal", "goals", "progress", "growing", "hopeful", "grateful", "thriving",
        "fantastic", "amazing", "relieved", "looking forward", "uitkijken", "kijk uit",
        "lekker", "energiek", "positief", "bloei", "energetic", "positive", "comfortable",
        "stevig", "zelfverzekerd", "zelfvertrouwen", "plezier", "vrijwilliger",
        "vrijwilligerswerk", "nieuwe baan", "confident", "pleasure", "upbeat", "volunteer",
        "volunteering", "new job",
    ),
    "negative": (
        "somber", "somberheid", "verdrietig", "verdriet", "triest", "eenzaam", "alleen",
        "bang", "angst", "angstig", "ongerust", "onrustig", "gespannen", "zenuwachtig", "moe",
        "uitgeput", "leeg", "rot", "rotdag", "rotweek", "down", "neerslachtig", "lusteloos",
        "huilen", "huil", "pieker", "piekeren", "teleurgesteld", "baal", "balen", "ellendig",
        "mis", "missen", "rouw", "grauw", "grijs", "depressief", "hopeloos", "onzeker",
        "sad", "sadness", "lonely", "alone", "scared", "afraid", "anxious", "anxiety",
        "worried", "worry", "nervous", "tense", "tired", "exhausted", "empty", "awful",
        "rotten", "low", "blue", "gloomy", "crying", "cry", "grief", "grieving", "miss",
        "depressed", "hopeless", "miserable", "disappointed", "insecure", "uneasy", "crappy",
        "meh", "listless", "restless", "geen zin", "nergens zin", "geen puf", "geen energie",
        "slecht", "lastig", "moeilijk", "zwaar", "no energy", "no motivation", "bad", "rough",
        "hard time", "struggling", "rubbish",
        "niet best", "niet zo best", "naar gevoel", "knoop", "knot", "wretched", "unsure",
    ),
    "steady": (
        "stabiel", "red me", "red het", "redden", "op en af", "ups en downs", "ups and downs",
        "hou vol", "houd vol", "hou het vol", "volhouden", "staande", "overeind", "gaat wel",
        "redelijk", "dag per dag", "dag voor dag", "gangetje", "evenwicht", "ritme", "routine",
        "omgaan", "leven met", "ermee leven", "kom erdoor", "kom er door", "gaat zo",
        "managing", "manage", "coping", "cope with it", "getting by", "get by", "steady",
        "stable", "so so", "alright", "day by day", "one day at a time", "keep going",
        "up and down", "holding", "hold on", "balance", "routine", "rhythm", "live with",
        "living with", "get through", "getting through", "ticking along", "more or less",
        "kabbelt", "kabbelen", "sukkel", "ploeter", "functioneer", "functioneren", "draaglijk",
        "te dragen", "boven water", "niet meer en niet minder", "functioning", "bearable",
        "manageable", "above water", "nothing more nothing less",
    ),
    "stop": (
        "stop", "stoppen", "stop maar", "ophouden", "hou op", "afbreken", "breek af", "kappen",
        "genoeg", "annuleer", "annuleren", "beeindigen", "niet verder", "niet meer verder",
        "quit", "cancel", "exit", "abort", "enough", "done with", "end the", "end this",
        "no more", "not continue", "don t want to continue", "get out of",
        "niet afmaken", "breek", "hou maar op", "don t want to finish", "don t want to go on",
    ),
    "danger": (
        "dood", "doodgaan", "sterven", "niet meer leven", "niet meer zijn", "einde", "eind aan",
        "zelfmoord", "springen", "brug", "spoor", "trein", "perron", "dak", "touw", "mes",
        "pillen", "slaappillen", "medicijnen", "overdosis", "snijden", "gesneden",
        "afscheid", "afscheidsbrief", "voorgoed", "verdwijnen", "wapen", "bedreigt", "slaat",
        "in gevaar", "iets aandoen", "beter af", "tot last", "uitweg", "testament",
        "dead", "death", "suicide", "kill", "end it", "end my life", "jump", "bridge",
        "railway", "tracks", "roof", "rope", "knife", "pills", "overdose", "cut myself",
        "cutting", "goodbye letters", "for good", "disappear", "weapon", "threatening", "hits me",
        "in danger", "hurt myself", "hurt me", "better off", "burden", "way out", "not wake up",
        "be here anymore", "my will",
        "iets aandoe", "pijn gedaan", "scheermesje", "dodelijk", "geslagen", "gewurgd",
        "wakker worden", "stoppen met leven", "van het leven", "weggegeven", "geef weg",
        "laatste keer", "geen reden meer", "niet meer zitten", "er niet meer ben",
        "hurting myself", "hurt someone", "razor", "lethal", "hit me", "choked", "kms",
        "never wake up", "stop living", "stop existing", "take my own life", "giving away",
        "giving my things away", "said goodbye", "my goodbyes", "last time", "no point in living",
        "after i m gone", "if i was gone", "hoe ik het ga doen", "how i m going to do it",
        "afscheidsbrieven", "farewell", "goodbye letter",
    ),
    "overload": (
        "te veel", "teveel", "overweldigd", "overprikkeld", "overspoeld", "chaos", "verdrink",
        "verdrinken", "kopje onder", "ontploft", "ontploffen", "bevries", "overvol",
        "niet aan", "niet bijbenen", "stapelt", "too much", "overwhelmed", "overstimulated",
        "overloaded", "swamped", "drowning", "crashing", "explode", "can t cope",
        "cannot cope", "can t handle", "can t keep up", "going under", "freeze",
        "door de bomen", "controle kwijt", "helder denken", "wood for the trees",
        "think straight", "lost control",
    ),
    "someone_said": (
        "zei", "zegt", "noemde", "noemt", "noemden", "riep", "uitgemaakt", "lachten", "lachte",
        "opmerking", "grap", "grappen", "said", "says", "told me", "called me", "calls me",
        "shouted", "laughed", "remark", "comment", "joke", "jokes", "mimicked",
    ),
    "label": (
        "stigma", "zelfstigma", "label", "etiket", "stempel", "vooroordeel", "vooroordelen",
        "fabel", "mythe", "schaam", "minderwaardig", "veroordeeld", "oordelen", "self stigma",
        "stamp", "prejudice", "stereotype", "stereotypes", "myth", "ashamed", "inferior",
        "judged", "judge",
    ),
    "strengths": (
        "sterke kanten", "sterke punten", "sterktes", "krachten", "kwaliteiten", "talenten",
        "goed in ben", "ben ik goed in", "sterk in ben", "wat ik goed kan", "strengths",
        "strong points", "strong sides", "qualities", "talents", "good at", "where i m strong",
    ),
    "encourage": (
        "hoop", "hoopvols", "hoopgevend", "hoopgevends", "bemoedigend", "bemoedigends",
        "bemoedigende", "aanmoediging", "moed", "motiveer", "inspireer", "inspirerend",
        "inspirerende", "opkikker", "opkikkertje", "oppeppen", "op te peppen", "lichtpuntje",
        "reflectievraag", "denkvraag", "hope", "encouraging", "encouragement", "courage",
        "motivate", "inspire", "inspiring", "uplifting", "pep talk", "boost", "ray of light",
        "journaling", "prompt",
    ),
    "everyday": (
        "wat voor weer", "weerbericht", "weersverwachting", "regen", "regent", "weather", "rain",
        "forecast", "recept", "koken", "kook", "bakken", "recipe", "cook", "boil", "bake",
        "huiswerk", "som",
        "wiskunde", "homework", "sum", "maths", "math", "voetbal", "wedstrijd", "uitslag",
        "football", "match", "game", "score", "verkiezingen", "election", "email", "mail",
        "brief", "letter", "website", "html", "code", "film", "serie", "movie", "series",
        "vakantie", "holiday", "vlucht", "flight", "hotel", "belasting", "tax", "btw", "vat",
        "wekker", "alarm", "boodschappen", "shopping", "fiets", "bike", "prijs", "price",
        "parkeren", "parkeerplaats", "parking", "park my car", "hoe ver", "how far", "afstand",
        "distance", "camping", "campsite", "bibliotheek", "library", "magnetron", "microwave",
        "warmtepomp", "heat pump", "wasmachine", "washing machine", "ov chipkaart", "vlek",
        "stain", "premier", "prime minister", "president", "nobelprijs", "nobel prize",
    ),
    "thanks": (
        "bedankt", "dank", "dankje", "dankjewel", "dank je", "dank u", "dankuwel", "merci",
        "waardeer", "thanks", "thank", "thank you", "thx", "tnx", "thnx", "ty", "ta", "cheers",
        "appreciate", "appreciated",
    ),
    "skip": (
        "sla over", "sla ik over", "sla maar over", "overslaan", "volgende vraag",
        "de volgende", "laat open", "laat ik open", "open laten", "laten liggen", "laat liggen",
        "deze vraag", "skip", "pass", "next question", "the next one", "leave blank",
        "leave it blank", "blank", "move on", "this question", "leave this one",
    ),
    "farewell": (
        "doei", "daag", "dag dag", "tot ziens", "tot later", "tot morgen", "tot straks",
        "tot snel", "tot gauw", "tot kijk", "tot de volgende", "tot een volgende", "welterusten",
        "slaap lekker", "slaapwel", "ciao", "ajuu", "salut", "salukes", "houdoe", "spreek je",
        "ervandoor", "log uit", "bye", "goodbye", "see you", "see ya", "cya", "ttyl", "laters",
        "good night", "night night", "nighty night", "speak soon", "talk later", "talk to you",
        "catch you", "until next time", "logging off", "signing off", "heading out", "gotta go",
    ),
    "privacy": (
        "bewaard", "bewaren", "opgeslagen", "privacy", "prive", "gegevens", "mijn berichten",
        "mijn gesprekken", "anoniem", "wie kan lezen", "wie leest", "stored", "saved", "store",
        "my messages", "my data", "private", "anonymous", "who can read", "who reads",
    ),
    "disclose": (
        "vertellen", "vertel ik", "vertel het", "zeg ik het", "zeggen tegen", "open zijn",
        "openheid", "open kaart", "eerlijk zijn", "inlichten", "ter sprake", "uitleggen",
        "leg ik", "melden", "disclose", "disclosing", "tell my", "tell them", "tell people",
        "telling", "be open", "being open", "honest with", "bring up", "mention",
        "explain my", "what do i say", "what should i say",
    ),
    # --- issue 16: naasten, setbacks, loss, trauma, doubt, stigma within care ---
    "care_worker": (
        "psychiater", "psycholoog", "behandelaar", "hulpverlener", "hulpverleners", "therapeut",
        "dokter", "arts", "artsen", "huisarts", "verpleging", "verpleegkundige", "verpleegkundigen",
        "begeleider", "casemanager", "behandelteam", "crisisdienst", "kliniek", "afdeling",
        "spoed", "psychiatrist", "psychologist", "therapist", "doctor", "doctors", "gp", "nurse",
        "nurses", "ward", "clinic", "clinician", "clinicians", "care team", "care worker",
        "case manager", "support worker", "mental health team", "staff",
    ),
    "close_one": (
        "mijn zoon", "mijn dochter", "mijn kind", "mijn kinderen", "mijn man", "mijn vrouw",
        "mijn partner", "mijn lief", "mijn moeder", "mijn vader", "mijn ma", "mijn pa",
        "mijn mama", "mijn papa", "mijn broer", "mijn zus", "mijn puber", "als ouder",
        "als moeder", "als vader", "mantelzorger", "naaste", "naasten", "my son", "my daughter",
        "my child", "my kid", "my kids", "my husband", "my wife", "my partner", "my mum",
        "my mom", "my mother", "my dad", "my father", "my brother", "my sister", "my teenager",
        "as a parent", "as a mother", "as a father", "carer", "caregiver", "family member",
    ),
    "loss": (
        "rouw", "rouwen", "rouwt", "rouwproces", "overleden", "gestorven", "stierf", "begrafenis",
        "verlies", "gemis", "afscheid", "grief", "grieving", "grieve", "mourning", "mourn",
        "died", "passed away", "death", "funeral", "bereaved", "loss",
    ),
    "relapse": (
        "terugval", "teruggevallen", "terugvallen", "hervallen", "herval", "terug bij af",
        "achteruit", "bij nul", "terugslag", "relapse", "relapsed", "setback", "set back",
        "backwards", "square one", "slipped back", "sliding back", "went downhill",
    ),
    "trauma": (
        "trauma", "traumas", "traumatisch", "getraumatiseerd", "flashback", "flashbacks",
        "nachtmerrie", "nachtmerries", "misbruik", "misbruikt", "herbeleef", "herbeleven",
        "ptss", "herinneringen", "traumatic", "nightmare", "nightmares", "abuse", "abused",
        "ptsd", "triggered", "memories", "relive",
    ),
    "doubt": (
        "geloof niet", "geloof er niet", "niks voor mij", "niet voor mij", "nooit beter",
        "ooit beter", "twijfel", "betwijfel", "hopeloos geval", "herstel bestaat niet", "doubt",
        "don t believe", "not for me", "never get better", "ever get better", "hopeless case",
        "too far gone",
    ),
    "story": (
        "verhaal", "verhalen", "herstelverhaal", "herstelverhalen", "hersteld", "beter geworden",
        "er bovenop", "story", "stories", "recovered", "got better", "made it",
    ),
    "vague": (
        "raar", "rare", "vreemd", "vreemde", "anders dan anders", "wazig", "niet mezelf",
        "nie mezelf", "weird", "strange", "odd", "headspace", "not myself", "off today",
        "put my finger",
    ),
}  # fmt: skip
NEGATIONS = {"niet", "geen", "niks", "nooit", "nergens", "nothing", "not", "no", "never", "nt",
             "isnt", "dont", "cant", "wasnt", "arent", "aint", "nee", "neen", "nope", "nah",
             "neuh"}  # fmt: skip
# "absoluut niet", "of course not": a word that would mean yes, turned into no.
NEGATED_YES = re.compile(
    r"(?<![a-z0-9])(?:absoluut|zeker|natuurlijk|echt|helemaal|absolutely|definitely|certainly"
    r"|of course|really|surely) (?:niet|not)(?![a-z0-9])"
)
NAMES = ("place", "group_kind", "online", *CUES, "negation", "negated_positive", "negated_yes")


def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")


PATTERNS = {name: _pattern(phrases) for name, phrases in CUES.items()}


def _negated(bare: str, start: int) -> bool:
    """Whether one of the three words before position `start` is a negation."""
    return any(w in NEGATIONS for w in bare[:start].split()[-3:])


def cues(text: str) -> dict[str, bool]:
    """Which cue features a message has."""
    from bot.directory.search import parse

    bare = plain(text)
    query = parse(text)
    found = {name: pattern.search(bare) is not None for name, pattern in PATTERNS.items()}
    # "stop living", "stop existing": a stop word inside a danger phrase is not about the flow.
    danger = [m.span() for m in PATTERNS["danger"].finditer(bare)]
    found["stop"] = any(not any(a <= m.start() < b for a, b in danger)
                        for m in PATTERNS["stop"].finditer(bare))  # fmt: skip
    # A positive word right after a negation ("niet goed", "nergens zin in") counts as
    # negated_positive, not as positive.
    positives = [_negated(bare, m.start()) for m in PATTERNS["positive"].finditer(bare)]
    found["positive"] = not all(positives)
    return {"place": query.place is not None, "group_kind": query.kind is not None,
            "online": query.online, **found,
            "negation": any(w in NEGATIONS for w in bare.split()),
            "negated_positive": any(positives),
            "negated_yes": NEGATED_YES.search(bare) is not None}  # fmt: skip


def cue_vector(text: str) -> np.ndarray:
    """The cues as a 0/1 row in NAMES order."""
    found = cues(text)
    return np.array([[1.0 if found[name] else 0.0 for name in NAMES]])
