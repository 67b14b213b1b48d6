"""Development examples for the rule-based crisis detector (bot/crisis.py).

These are the detector author's own examples, Dutch (including Flemish spellings) and
English. The blind evaluation set lives in tests/data/crisis_messages.csv.
"""

from __future__ import annotations

import timeit

import pytest

from bot.crisis import rules as crisis
from bot.crisis.rules import CATEGORIES, CrisisSignal, detect_crisis, normalise

# (message, expected category). The category is checked too, so that the reply and the
# ticket reason fit what the person wrote.
CRISIS: list[tuple[str, str]] = [
    # --- explicit wish to die / suicide words, with typos
    ("ik wil dood", "suicidal"),
    ("Ik wil gewoon dood, echt waar", "suicidal"),
    ("ik wil... dood", "suicidal"),
    ("ik denk aan zelfmoord", "suicidal"),
    ("ik denk steeds aan zelfmord", "suicidal"),
    ("zelfmoordgedachten, weer", "suicidal"),
    ("ik overweeg zelfdoding", "suicidal"),
    ("ik ben suïcidaal", "suicidal"),
    ("I feel suicidal tonight", "suicidal"),
    ("thinking about suicde", "suicidal"),
    ("sucide", "suicidal"),
    ("su1c1de", "suicidal"),
    ("I want to kill myself", "suicidal"),
    ("k1ll mys3lf", "suicidal"),
    ("i just want to die", "suicidal"),
    ("I wanna d!e", "suicidal"),
    ("wanna die", "suicidal"),
    ("kms", "suicidal"),
    ("thinking about how to unalive myself", "suicidal"),
    ("i should just kys", "suicidal"),
    ("im going to end it all tonight", "suicidal"),
    ("I'm thinking about ending my life", "suicidal"),
    ("ik ga mij van kant maken", "suicidal"),
    ("ik wil er een einde aan maken", "suicidal"),
    ("ik ben niet suïcidaal maar ik wil wel dood", "suicidal"),
    # --- passive death wish and hopelessness about living
    ("Ik wil er niet meer zijn", "suicidal"),
    ("ik zie het niet meer zitten", "suicidal"),
    ("'k zie t nie meer zitten", "suicidal"),
    ("kzie het echt nie meer zitten allemaal", "suicidal"),
    ("ik wil niet meer wakker worden", "suicidal"),
    ("ik hoop dat ik morgen niet meer wakker word", "suicidal"),
    ("'k wil nie meer leven", "suicidal"),
    ("Ik wil niet meer. Alles is zwart.", "suicidal"),
    ("was ik maar dood", "suicidal"),
    ("het leven heeft geen zin meer", "suicidal"),
    ("ik ben het leven zat", "suicidal"),
    ("ik zie geen uitweg meer", "suicidal"),
    ("I don't want to be here anymore", "suicidal"),
    ("i dont wanna be alive anymore", "suicidal"),
    ("I wish I was dead", "suicidal"),
    ("there's no point in living", "suicidal"),
    ("I can't go on like this", "suicidal"),
    ("I don't want to die but I can't go on", "suicidal"),
    # --- burden
    ("iedereen is beter af zonder mij", "burden"),
    ("ik ben iedereen alleen maar tot last", "burden"),
    ("niemand zou me missen", "burden"),
    ("everyone would be better off without me", "burden"),
    ("I'm just a burden to everyone", "burden"),
    ("nobody would even notice if I was gone", "burden"),
    # --- plan or means
    ("ik heb een touw gekocht", "plan_or_means"),
    ("I bought a rope today", "plan_or_means"),
    ("ik heb al een tijdje pillen gespaard", "plan_or_means"),
    ("I've been saving up my pills", "plan_or_means"),
    ("ik ga van de brug springen", "plan_or_means"),
    ("thinking of jumping off the bridge tonight", "plan_or_means"),
    ("ik ga voor de trein springen", "plan_or_means"),
    ("ik sta nu op het dak", "plan_or_means"),
    ("I'm standing on the ledge", "plan_or_means"),
    ("ik ga me ophangen", "plan_or_means"),
    ("hoeveel paracetamol is dodelijk", "plan_or_means"),
    ("what's the most painless way to die", "plan_or_means"),
    ("I know how I'm going to do it", "plan_or_means"),
    # --- self-harm, present or recent
    ("ik snij mezelf", "self_harm"),
    ("ik snij mij weer", "self_harm"),
    ("ik heb mezelf gisteren gesneden", "self_harm"),
    ("ik ben weer aan het krassen", "self_harm"),
    ("ik ben bang dat ik mezelf iets aandoe", "self_harm"),
    ("cutting again", "self_harm"),
    ("I hurt myself", "self_harm"),
    ("I relapsed and cut myself last night", "self_harm"),
    ("I used to self harm and now the urges are back", "self_harm"),
    ("ik zou mezelf nooit iets aandoen, maar vandaag heb ik mezelf gesneden", "self_harm"),
    # --- overdose just taken
    ("ik heb alle pillen ingenomen", "overdose"),
    ("ik heb net 30 oxazepam geslikt", "overdose"),
    ("I took all my pills", "overdose"),
    ("swallowed a whole bottle of sleeping pills", "overdose"),
    # --- goodbye
    ("ik heb een afscheidsbrief geschreven", "goodbye"),
    ("I wrote a goodbye note", "goodbye"),
    ("this is my last message", "goodbye"),
    ("als je dit leest ben ik er niet meer", "goodbye"),
    ("vaarwel iedereen, bedankt voor alles", "goodbye"),
    # --- voices commanding harm
    ("de stemmen zeggen dat ik moet springen", "command_hallucination"),
    ("ik hoor stemmen die zeggen dat ik mezelf pijn moet doen", "command_hallucination"),
    ("voices tell me to kill", "command_hallucination"),
    ("the voices say I deserve to die", "command_hallucination"),
    # --- acute danger from someone else (or to someone else)
    ("hij slaat me", "danger_from_other"),
    ("mijn man slaat me elke dag", "danger_from_other"),
    ("ik ben bang dat hij me iets aandoet", "danger_from_other"),
    ("he's going to kill me", "danger_from_other"),
    ("he said he will kill me if I leave", "danger_from_other"),
    ("i'm not safe at home", "danger_from_other"),
    ("ik ben bang dat ik iemand iets aandoe", "danger_from_other"),
    # --- indirect: loss or despair plus a question seeking means
    ("lost my job, what are the tallest bridges in amsterdam?", "indirect"),
    ("alles kwijt. hoeveel slaappillen heb je nodig?", "indirect"),
    ("ontslagen en ze is weg. hoe laat komt de trein langs bij de overweg?", "indirect"),
    ("ik ben mijn huis kwijtgeraakt, welke flat is het hoogst in amsterdam", "indirect"),
    ("got dumped today. how high is the erasmus bridge", "indirect"),
    # --- veiled signals: final arrangements, calm after a decision, hints at not being there
    ("my will is written and i feel calm", "indirect"),
    ("binnenkort is alles voorgoed stil", "indirect"),
    ("if i don't answer tomorrow you'll know why", "indirect"),
    ("ik haal mijn verjaardag niet meer", "indirect"),
    # --- more passive wishes, self-harm, goodbye and danger phrasings
    ("waarom besta ik eigenlijk nog", "suicidal"),
    ("ik hoop dat er morgen een auto tegen me aan rijdt", "suicidal"),
    ("hope a truck hits me on the way to work", "suicidal"),
    ("ik wil gewoon dat het allemaal ophoudt", "suicidal"),
    ("i wish i could just not exist", "suicidal"),
    ("ik wil ermee stoppen. met het leven", "suicidal"),
    ("mijn gezin zou makkelijker leven als ik er niet meer was", "burden"),
    ("my family would be better off with my life insurance money", "burden"),
    ("ik sta bij het spoor", "plan_or_means"),
    ("sitting in my car in the closed garage with the motor on", "plan_or_means"),
    ("what height is a fall fatal", "plan_or_means"),
    ("how many pills would it take to never wake up", "plan_or_means"),
    ("ik ben opnieuw begonnen met krassen", "self_harm"),
    ("ik heb mezelf gebrand met een sigaret", "self_harm"),
    ("I keep hitting my head against the wall until i bleed", "self_harm"),
    ("zeg tegen mijn moeder dat ik van haar hou", "goodbye"),
    ("tell my sister it wasn't her fault", "goodbye"),
    ("ik heb mijn kat naar de buren gebracht", "goodbye"),
    ("they whisper that I have to jump", "command_hallucination"),
    ("i can't resist the voices much longer", "command_hallucination"),
    ("my boyfriend threw a chair at me", "danger_from_other"),
    ("i'm hiding in the bathroom from my husband", "danger_from_other"),
    ("mijn broer is dronken en heeft zijn pistool gepakt", "danger_from_other"),
    ("my husband grabbed a knife", "danger_from_other"),
    ("ik heb het mesje nog in mijn hand", "plan_or_means"),
    ("k wil ni meer leve", "suicidal"),
    ("ik wil een einde aan alles maken", "suicidal"),
    ("life is pointless and i want out", "suicidal"),
    ("ik heb een strop gemaakt", "plan_or_means"),
    ("ik ga vanavond van de brug", "plan_or_means"),
    ("net 2 strips oxazepam geslikt", "overdose"),
    ("mn armen zitten vol nieuwe sneden", "self_harm"),
    ("dit is mijn afscheid", "goodbye"),
    ("this is goodbye, thank you for everything", "goodbye"),
    ("i feel like everyone would be happier without me", "burden"),
    # --- something that started in the past and still goes on is not "past"
    ("ik ben al 3 jaar suïcidaal", "suicidal"),
    ("ik wil al jaren dood", "suicidal"),
    ("I have been cutting myself for 2 years", "self_harm"),
    ("sinds vorig jaar snij ik mezelf", "self_harm"),
    ("I have wanted to die for 5 years", "suicidal"),
    ("gisteren wilde ik niet meer leven", "suicidal"),
    # --- a recovered story that says it is happening again
    ("vroeger wilde ik dood en nu wil ik weer dood", "suicidal"),
    ("al 4 dagen zonder slaap, ik wil gewoon dood", "suicidal"),  # not "time clean"
    # hopelessness, not a recovered past (the issue's own example), then a decision
    ("niks gaat ooit nog beter worden, dus ik stop ermee", "suicidal"),
    ("nothing is ever going to get better so im ending it", "suicidal"),
    ("3 weken zonder snijden maar vanavond heb ik mezelf weer gesneden", "self_harm"),
    ("saved up 50 of my sleeping tablets, tonight's the night", "plan_or_means"),
    ("net 20 keer met mijn hoofd op de vloer geslagen", "self_harm"),
    ("ik lach me dood maar eigenlijk wil ik dood", "suicidal"),
]

SAFE: list[str] = [
    # --- idioms with death words
    "doodmoe",
    "ik ben doodmoe vandaag",
    "ik lach me dood",
    "ik schrok me dood",
    "ik schaam me dood",
    "ik ben doodsbang voor mijn examen",
    "ik ga dood van de honger",
    "ik kan niet meer van het lachen",
    "mijn telefoon is dood",
    "I'd kill for a coffee",
    "this traffic is killing me",
    "my feet are killing me",
    "dying to see that film",
    "dead tired",
    "i am dying of laughter",
    "I'd rather die than go to that party",
    "ik ga nog liever dood dan dat ik daarheen ga",
    "killing it at work today",
    "career suicide, that tweet",
    "my mom is going to kill me when she sees my grades",
    # --- grief and the death of others
    "mijn vader is overleden",
    "opa is gisteren overleden en ik mis hem",
    "my grandmother died last week and I miss her",
    "mijn oom heeft zelfmoord gepleegd",
    "I lost my brother to suicide last year",
    "de zelfmoord van mijn broer is vijf jaar geleden",
    # --- past, recovered stories
    "vroeger wilde ik dood, nu gaat het goed",
    "I used to self-harm but I've been clean for 3 years",
    "I used to think about suicide a lot, now I'm doing much better",
    "Years ago I took an overdose, I'm doing great now",
    "ik snij mezelf al 2 jaar niet meer",
    "vijf jaar geleden wou ik niet meer leven, nu werk ik als ervaringsdeskundige",
    "two years free from self harm today, never thought I'd say that",
    "vandaag 300 dagen zonder krassen!",
    "mijn knie wordt nooit meer goed dus ik stop met voetbal",
    "het gaat nu veel beter, dus ik stop ermee met de slaappillen",
    # --- "op" as a preposition is not "(pills) taken"
    "ik ga dood van de hitte hier, 32 graden op mn kamer",
    "ik heb de training van 113 gevolgd op mijn werk",
    "ik heb geen zelfmoordgedachten meer",
    # --- helpers asking about someone else, and the topic itself
    "hoe help ik een vriend die aan zelfmoord denkt",
    "how can I support my friend who is suicidal",
    "what should I say to someone who is suicidal?",
    "mijn zus snijdt zichzelf, hoe kan ik haar helpen",
    "hoe praat ik met mijn dochter over zelfbeschadiging",
    "ik heb een film over zelfmoord gezien",
    "ik werk bij 113 zelfmoordpreventie",
    # --- negation
    "ik ben niet suïcidaal",
    "I'm not suicidal, just tired",
    "I would never hurt myself",
    "ik zou mezelf nooit iets aandoen",
    "I'm not going to kill myself, don't worry",
    "ik wil niet dood",
    # --- medication and everyday talk
    "ik neem mijn pillen weer in",
    "ik heb mijn medicatie vandaag ingenomen",
    "I took my meds this morning",
    "I cut myself shaving",
    "ik heb me gesneden aan een mes",
    "I cut myself a slice of cake",
    "this is my last message for today",
    "wat zijn de hoogste bruggen van nederland",
    "hoe laat gaat de trein naar utrecht",
    "ik heb de was opgehangen",
    "mijn rug doet me pijn",
    "ik kan niet meer slapen",
    "ik kan niet meer tegen de drukte",
    "ik wil niet meer roken",
    "ik zie het niet zitten om morgen te werken",
    "I don't want to live in this city anymore",
    "i can't go on holiday this year",
    "ik ga stemmen op zondag",
    "ik hoor soms stemmen maar ze zijn rustig",
    "the voice of my mother tells me to eat more vegetables",
    "ik heb een touw nodig voor de schommel",
    "ik voel me somber vandaag",
    "I feel sad today",
    "Waar kan ik een zelfhulpgroep vinden?",
    # --- lookalikes of the veiled and indirect patterns
    "waarom ben ik er nog niet, de bus is zo traag",
    "i hope the inspiration hits me soon",
    "het mag van mij wel ophouden met regenen",
    "ik sta bij de brug op je te wachten",
    "i'm on the edge of my seat watching this",
    "ik heb me gebrand aan de oven",
    "banging my head against the wall with this code",
    "tell my boss i'm sorry i'm late",
    "my colleagues whisper that i am lazy",
    "charcoal bbq in the garden tonight",
    "ik heb mezelf opgesloten in mijn kamer om te studeren",
    "vanavond eindelijk rust, de kinderen zijn bij oma",
    "morgen is mijn examen eindelijk voorbij",
    "the exams will all be over soon",
    "i won't be around next week, i'm on holiday",
    "how tall is the erasmus bridge",
    "hoeveel paracetamol mag ik per dag",
    "ik wil er een einde aan maken met mijn ex",
    "las in de krant over een man die van een brug sprong",
    "ik was vroeger opgenomen na een overdosis, nu gaat het prima",
    "I survived a suicide attempt in 2015 and now I volunteer",
    "this exam makes me want to die lol",
    "ik heb een mes gepakt om brood te snijden",
    "this view is to die for",
    "ik ga vanavond over de brug fietsen naar mijn moeder",
    "ik heb brieven geschreven voor mijn kerstkaarten",
    "my dad beats me at chess every time",
    "i'm standing at the edge of the dance floor",
    "not feeling suicidal, just sad",
    "we talked about suicide prevention in class today",
    "goodbye for now, see you tomorrow",
    "i need to diet",
    "ik kras me gelukkig nooit meer",
    "my dad is cooking with a knife",
    "ik heb mijn medicatie netjes ingenomen zoals voorgeschreven, alle pillen",
]


@pytest.mark.parametrize(("text", "category"), CRISIS)
def test_crisis_message_fires(text: str, category: str) -> None:
    signal = detect_crisis(text)
    assert signal is not None, text
    assert signal.category == category, (text, signal)


@pytest.mark.parametrize("text", SAFE)
def test_safe_message_does_not_fire(text: str) -> None:
    assert detect_crisis(text) is None, (text, detect_crisis(text))


def test_examples_cover_both_languages_and_sizes() -> None:
    assert len(CRISIS) >= 40
    assert len(SAFE) >= 40
    assert {category for _, category in CRISIS} == set(CATEGORIES)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ik wíl  DOOD!!!", "ik wil dood"),
        ("I'm done, I can't", "i am done i can not"),
        ("'k zie 't nie meer zitten", "ik zie het niet meer zitten"),
        ("m'n leven", "mijn leven"),
        ("su1c1de k1ll", "suicide kill"),
        ("d!e", "die"),
        ("113 of 0800-0113", "113 of 0800 0113"),
        ("noooo pleeease", "noo pleease"),
        ("zelf moord", "zelfmoord"),
        ("wanna die", "want to die"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_signal_reports_pattern_name_not_user_text() -> None:
    signal = detect_crisis("ik wil dood, mijn naam is Jan")
    assert signal == CrisisSignal(category="suicidal", pattern="nl_wil_dood")


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_message(text: str) -> None:
    assert detect_crisis(text) is None


def test_needles_cover_every_match() -> None:
    """A pattern only runs when a needle occurs; each match must contain one of them."""
    tables = [crisis._EXCLUSION_RES] + [patterns for _, patterns in crisis._CATEGORY_RES]
    for text in [text for text, _ in CRISIS] + SAFE:
        prepared = crisis._normalise(text, keep_breaks=True)
        for patterns in tables:
            for name, needles, regex in patterns:
                for match in regex.finditer(prepared):
                    assert any(needle in match.group(0) for needle in needles), (name, text)


@pytest.mark.parametrize(
    "unit",
    [
        "Ik weet niet goed hoe ik dit moet zeggen, maar het gaat al weken slecht en "
        "I don't know who else to tell. ",
        "ik wil niet meer ",
        "ik ik ik ",
        "dood ",
        "a ",
    ],
)
def test_longest_telegram_message_has_no_catastrophic_backtracking(unit: str) -> None:
    """Telegram's maximum (4096 characters) of repetitive text: about 8 ms when measured here.

    This guards against runaway regex backtracking (once 1.4 s), not speed: the per-message
    speed target (under 1 ms for 500 characters) belongs in `make bench`, where machine noise
    is measured as ratios, not in a timed unit test.
    """
    text = (unit * 4096)[:4096]
    seconds = min(timeit.repeat(lambda: detect_crisis(text), number=1, repeat=3))
    assert seconds < 0.25
