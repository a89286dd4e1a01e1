"""Rule-based urgency triage for inbound patient messages, in English and Spanish.

Plain regular expressions on purpose: triage runs on every inbound message, offline, in well under a
millisecond, and every decision must be explainable to staff by a stable reason code. A model can
replace the matcher later; the codes and the `Triage` shape are the contract.

Patterns are written against normalised text (see `normalize`): lower case, accents stripped,
apostrophes removed ("can't" -> "cant", "I'm" -> "im"), hyphens turned into spaces, whitespace
collapsed. Flags are matched regardless of the detected language because patients mix languages.
"""

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

EMERGENCY = "emergency"
URGENT = "urgent"
ROUTINE = "routine"


@dataclass(frozen=True)
class Triage:
    urgency: str
    reasons: tuple[str, ...]
    language: str

    @property
    def is_suicide_risk(self) -> bool:
        return "suicidal" in self.reasons


# --- Red flags ------------------------------------------------------------------------------------
# Each entry is (code, language, phrases); the phrases of an entry are OR-ed together. Several entries
# may share a code. Add phrases here, not logic: negation and history handling apply to every entry.
# Every phrase is anchored to the start of a word by the matcher, so phrases need no leading \b.

Flag = tuple[str, str, tuple[str, ...]]
# Both halves must be present (anywhere in the message) for the code to count, e.g. swollen lips are
# only anaphylaxis alongside an allergic trigger or wheezing.
ComboFlag = tuple[str, str, tuple[str, ...], tuple[str, ...]]

_CRITICAL_MEDS_EN = (
    r"(?:insulin|lantus|humalog|novolog|(?:anti )?seizure (?:meds?|medications?|medicines?|pills)"
    r"|epilepsy (?:meds?|medications?)|keppra|levetiracetam|lamotrigine|lamictal|dilantin|depakote"
    r"|blood thinners?|anticoagulants?|warfarin|coumadin|eliquis|apixaban|xarelto|rivaroxaban|plavix"
    r"|(?:blood pressure|bp|heart|transplant) (?:meds?|medications?|medicines?|pills)|tacrolimus"
    r"|inhalers?|albuterol|nitro(?:glycerin)?|epi ?pens?)"
)
_CRITICAL_MEDS_ES = (
    r"(?:insulina|anticoagulantes?|anticonvulsivos?|warfarina|inhalador|eliquis|xarelto|keppra"
    r"|(?:medicamentos?|medicinas?|pastillas|pildoras) (?:para|de) (?:la |las |el )?"
    r"(?:presion|convulsiones|epilepsia|corazon|diabetes|azucar))"
)
_SWOLLEN_FACE_EN = (
    r"(?:face|lips?|tongue|mouth)\b[\w ]{0,20}?\b(?:swell\w*|swollen|puff\w*)",
    r"(?:swelling|swollen|puffy) (?:\w+ ){0,2}?(?:face|lips?|tongue|mouth)\b",
)
_SWOLLEN_FACE_ES = (
    r"(?:cara|labios|lengua|boca|parpados)\b[\w ]{0,20}?\b(?:hinch\w*|inflamad\w*)",
    r"(?:hinch\w*|inflam\w*) (?:\w+ ){0,3}?(?:cara|labios|lengua|boca)\b",
)

# fmt: off
EMERGENCY_FLAGS: tuple[Flag, ...] = (
    ("chest_pain", "en", (
        r"chest (?:pain|pains|pian|pressure|tightness|discomfort|heaviness)",
        r"(?:pain|pressure|tightness|heaviness|squeezing) (?:in|on) (?:my |his |her |the )?chest",
        r"chest (?:is |feels |feel )?(?:tight|hurts|hurting|heavy|crushing)",
        r"heart attack",
    )),
    ("chest_pain", "es", (
        r"dolor (?:fuerte )?(?:de|en el|en mi) pecho",
        r"(?:opresion|presion|apreton) (?:en el|en mi|del) pecho",
        r"(?:me|le) duele (?:mucho )?el pecho",
        r"dolor toracico",
        r"ataque (?:al corazon|cardiaco)",
        r"infarto",
    )),
    ("stroke", "en", (
        r"face (?:is |was |looks |seems )?(?:drooping|droopy|droops|drooped|sagging)",
        r"(?:drooping|droopy|crooked|lopsided) (?:face|smile|mouth)",
        r"(?:one side|half) of (?:my |his |her |the )?face",
        r"slurred speech",
        r"speech (?:is |was |seems |sounds )?slurred",
        r"slurring (?:my |his |her |their )?(?:words|speech)",
        r"sudden (?:weakness|numbness|paralysis|confusion|loss of vision|vision loss|trouble speaking)",
        r"(?:weak|weakness|numb|numbness|paralyzed)\b[\w ]{0,20}?\bon one side",
        r"(?:left|right) side of (?:my |his |her )?(?:body|face) (?:is |went |feels )?"
        r"(?:numb|weak|paralyzed|limp|drooping)",
        r"a (?:mini |small |minor )?stroke\b(?! of)",
        r"stroke (?:symptoms|signs)",
        r"stroking out",
    )),
    ("stroke", "es", (
        r"derrame\b(?! (?:pleural|ocular|articular|en (?:el|los|mi|mis) ojos?|en la rodilla|de))",
        r"habla (?:arrastrada|trabada|rara|confusa)",
        r"arrastr(?:a|ando) (?:las )?palabras",
        r"(?:cara|boca) (?:caida|torcida|chueca|paralizada)",
        r"se (?:me|le) (?:cayo|cae|torcio) (?:la cara|la boca|un lado de la cara)",
        r"ictus\b",
        r"embolia cerebral",
        r"(?:debilidad|adormecimiento|entumecimiento) (?:repentin[oa]|subit[oa])",
    )),
    ("breathing", "en", (
        r"(?:cant|cannot|can not|cnt|unable to|not able to|struggling to|struggle to|hard to|barely)"
        r" (?:catch (?:my |his |her )?)?(?:breathe|breath|breth|brethe)\b",
        r"(?:trouble|difficulty|difficult|problems?|hard time|struggling|labou?red) (?:with )?breathing",
        r"short(?:ness)? of breath",
        r"(?:not|isnt|stopped|stops|wasnt|quit) breathing",
        r"gasping",
        r"choking",
        r"turning blue",
        r"lips (?:are |look |turned |turning )?blue",
        r"cant get (?:enough )?air",
    )),
    ("breathing", "es", (
        r"no (?:puedo|puede|podia|pudo) respirar",
        r"(?:dificultad|problemas?|trabajo) (?:para|al) respirar",
        r"(?:me|le|nos) cuesta (?:mucho )?respirar",
        r"(?:me|le) falta (?:el )?aire",
        r"falta de aire",
        r"no respira\b",
        r"dejo de respirar",
        r"ahog(?:o|a|ando)\b",
        r"(?:labios|cara) (?:azul|azules|morad[oa]s?)",
    )),
    ("suicidal", "en", (
        r"kill(?:ing)? my ?self",
        r"suicidal\b",
        r"suicide (?:plan|note|attempt)",
        r"(?:thinking|thought|thoughts|think|considering|contemplating) (?:about |of )?"
        r"(?:suicide|ending (?:it|my life)|killing myself)",
        r"(?:commit|attempt|attempting|try|trying|tried|attempted) (?:to )?(?:commit )?suicide",
        r"end(?:ing)? my (?:own )?life",
        r"end(?:ing)? it all",
        r"take my (?:own )?life",
        r"(?:want|wanna|wish|ready|deserve) (?:to )?die\b",
        r"wish i (?:was|were) dead",
        r"better off dead",
        # Bare "hurt myself" is usually an accident ("hurt myself lifting"); intent or habit makes it
        # self-harm.
        r"(?:want|wanna|going|gonna|urge|urges|thinking about|thoughts of|might|plan|planning|feel like"
        r"|tempted) (?:to )?(?:hurt|harm|hurting|harming|cut|cutting) my ?self",
        r"(?:hurting|harming|cutting) my ?self",
        r"(?:hurt|harm|cut) my ?self on purpose",
        r"self (?:harm|harming|injury)",
        r"(?:dont|do not) want to (?:live|be alive|be here anymore|wake up)",
        r"no (?:reason|point) (?:to|in) (?:live|living|going on)",
    )),
    ("suicidal", "es", (
        r"(?:quiero|quisiera|ganas de|deseos de) morir(?:me)?\b",
        r"matarme\b",
        r"me voy a matar",
        r"suicidarme",
        r"(?:pensamientos|ideas) suicidas",
        r"(?:pensando|pienso) en (?:el )?suicid(?:io|arme)",
        r"quitarme la vida",
        r"acabar con mi vida",
        r"no quiero (?:seguir )?vivir",
        r"hacerme dano",
        r"lastimarme",
        r"cortarme",
    )),
    ("bleeding", "en", (
        r"(?:severe|severely|heavy|heavily|profuse|profusely|uncontrolled|uncontrollable|massive"
        r"|excessive|serious|lots of|a lot of) (?:bleeding|bleed|blood loss)",
        r"bleed(?:ing|s)? (?:so |very )?(?:heavily|a lot|badly|profusely|nonstop|non stop|everywhere)",
        r"(?:bleeding|blood)\b[\w ]{0,15}?\b(?:wont|will not|doesnt|does not|cant|cannot|isnt|is not"
        r"|hasnt|has not|not) (?:stop|stopping|stopped)",
        r"(?:cant|cannot|can not) (?:get (?:it|the bleeding) to )?stop (?:the )?bleeding",
        r"(?:coughing|throwing|vomiting|puking|spitting) (?:up )?blood",
        r"(?:soaking|soaked|soaks) (?:through )?(?:a |my |the |\d+ )?(?:pads?|gauze|towels?|bandages?)",
        r"blood (?:everywhere|gushing|pouring|spurting)",
        r"(?:gushing|pouring|spurting) blood",
    )),
    ("bleeding", "es", (
        r"sangrado (?:muy )?(?:abundante|fuerte|intenso|profuso|excesivo|masivo)",
        r"sangr(?:a|o|ando) (?:mucho|muchisimo|demasiado|sin parar)",
        r"no (?:para|paro|deja|dejo|se detiene|puedo parar|puedo detener) (?:de )?(?:el )?sangr(?:ar|ado)",
        r"sangrado que no (?:para|se detiene|se quita)",
        r"hemorragia",
        r"(?:vomitando|vomito|tosiendo|escupiendo) sangre",
        r"mucha sangre",
    )),
    ("anaphylaxis", "en", (
        r"ana?ph[iy]?la(?:xis|xia|ctic)",
        r"throat (?:is |feels |feel |keeps )?(?:swelling|swollen|closing|tightening)",
        r"(?:swelling|swollen|closing) (?:of )?(?:my |his |her )?throat",
        r"tongue (?:is |feels |keeps )?(?:swelling|swollen)",
        r"swollen tongue",
        r"(?:used|gave|give|giving|needed|use) (?:him |her |them |me )?(?:my |his |her |an |the |their )?"
        r"epi ?pen",
    )),
    ("anaphylaxis", "es", (
        r"anafila(?:xia|xis|ctic[oa])",
        r"(?:se me|se le|se) (?:esta )?(?:cierra|cerrando|hincha|hinchando) la garganta",
        r"garganta (?:se )?(?:cerrando|cerrada|hinchada|se cierra|se me cierra)",
        r"lengua (?:hinchada|inflamada)",
        r"se (?:me|le) hincha la lengua",
    )),
    ("overdose", "en", (
        r"overdos(?:e|ed|ing)",
        r"over dose",
        r"(?:took|taken|take|swallowed|drank|had) (?:way )?(?:too many|too much|an entire|the whole|a whole"
        r"|all (?:of )?(?:my|his|her|the|their)|a (?:bunch|handful|bottle) of)\b(?: \w+){0,3}? "
        r"(?:pills?|meds|medications?|medicines?|tablets?|capsules?|tylenol|acetaminophen|xanax|advil"
        r"|ibuprofen|aspirin|insulin|oxy\w*|opioids?|bottle)",
        # Accidental ingestion is handled as an overdose: same response (poison control / 911).
        r"(?:swallowed|ingested|got into|drank)\b(?: \w+){0,4}? (?:pills?|meds|medications?|medicines?"
        r"|tablets?|bleach|detergent|laundry pods?|tide pods?|batter(?:y|ies)|magnets?|poison|antifreeze"
        r"|cleaning products?|drano)",
        r"(?:ate|eaten)\b(?: \w+){0,4}? (?:bleach|detergent|laundry pods?|tide pods?|batter(?:y|ies)"
        r"|magnets?|rat poison)",
        r"(?<!food )poison(?:ed|ing)\b",
        r"poison control",
    )),
    ("overdose", "es", (
        r"sobredosis",
        r"(?:tome|tomo|trago|trague|comio|bebio|ingirio) (?:demasiadas|muchas|todas (?:las|mis|sus)"
        r"|un frasco de|toda la caja de|un monton de)\b(?: \w+){0,2}? (?:pastillas|pildoras|tabletas"
        r"|medicinas|medicamentos|capsulas)",
        r"(?:trago|trague|comio|bebio|ingirio)\b(?: \w+){0,4}? (?:pastillas|pildoras|cloro|lejia|detergente"
        r"|veneno|pilas?|baterias?)",
        r"envenen\w*",
    )),
    ("unconscious", "en", (
        r"unc?ons?c?ious\b",
        r"unresponsive",
        r"(?:wont|will not|cant|cannot|doesnt|does not|isnt|is not|not|couldnt) (?:wake|waking)",
        r"(?:lost|losing) consciousness",
        r"knocked out",
        r"collapsed\b",
    )),
    ("unconscious", "es", (
        r"inconsciente",
        r"no (?:despierta|reacciona|logro despertarl[oa]|puedo despertarl[oa])",
        r"perdio el (?:conocimiento|sentido)",
    )),
    ("seizure", "en", (
        # "seizure meds", "seizure disorder": a refill or a form, not a seizure in progress.
        r"(?:seizures?|siezures?|sezures?|seizing)\b(?! (?:meds?|medications?|medicines?|pills?"
        r"|drugs?|prescriptions?|rx|refills?|disorder|clinic|plan|action plan|free|log|diary))",
        r"convuls\w*",
        r"grand mal",
    )),
    ("seizure", "es", (
        r"convulsi\w*",
        r"(?:ataque|crisis) (?:epileptic[oa]|de epilepsia)",
    )),
)

EMERGENCY_COMBOS: tuple[ComboFlag, ...] = (
    ("anaphylaxis", "en", _SWOLLEN_FACE_EN, (
        r"wheez\w*", r"allerg\w*", r"stung\b", r"stings?\b", r"bees?\b", r"wasps?\b", r"hives\b",
        r"peanuts?", r"shellfish", r"breath\w*", r"epi ?pen", r"benadryl",
    )),
    ("anaphylaxis", "en", (r"allergic reaction",), (r"swell\w*", r"swollen", r"wheez\w*", r"breath\w*")),
    ("anaphylaxis", "es", _SWOLLEN_FACE_ES, (
        r"alergi\w*", r"picadura", r"pico (?:una )?(?:abeja|avispa)", r"abejas?", r"avispas?", r"ronchas",
        r"urticaria", r"respir\w*", r"silb\w*", r"mani\b", r"cacahuate", r"mariscos",
    )),
    ("anaphylaxis", "es", (r"reaccion alergica",), (r"hinch\w*", r"inflamad\w*", r"respir\w*", r"garganta")),
)

_FEVER_EN = (
    r"fevers?\b", r"feverish\b", r"febrile\b",
    r"temp(?:erature)?\b[\w ]{0,12}?\b(?:10[0-9]|3[89]|4[0-2])(?:\.\d)?\b",
)
_FEVER_ES = (r"fiebre\b", r"calentura\b", r"temperatura\b[\w ]{0,12}?\b(?:3[89]|4[0-2])\b")
_HIGH_TEMP = r"(?:10[3-9]|4[0-2]|39\.[5-9])"

URGENT_FLAGS: tuple[Flag, ...] = (
    ("high_fever", "en", (
        r"(?:high|very high|really high|extremely high|spiking a) fever",
        rf"(?:fever|temp|temperature) (?:of |is |at |around |over |above |reading |was )*{_HIGH_TEMP}\b",
        r"10[3-9](?:\.\d)? ?(?:degrees? )?f(?:ahrenheit)?\b",
    )),
    ("high_fever", "es", (
        r"(?:fiebre|calentura) (?:muy )?alta",
        r"(?:fiebre|temperatura|calentura) (?:de |a |en |sobre |mas de )*(?:39[.,][5-9]|4[0-2])\b",
    )),
    ("medication_out", "en", (
        r"(?:out of|ran out|run out|running out|no more|used up|used the last|finished)"
        rf"\b(?: of)?(?: \w+){{0,3}}? {_CRITICAL_MEDS_EN}",
        rf"{_CRITICAL_MEDS_EN}\b[\w ]{{0,20}}?\b(?:ran out|run out|is out|are out|is gone|are gone|all gone)",
        rf"no {_CRITICAL_MEDS_EN} left",
    )),
    ("medication_out", "es", (
        r"(?:se me acab\w+|se me termin\w+|se acab\w+|me quede sin|no me queda\w*|ya no tengo|no tengo mas"
        rf"|sin)\b(?: \w+){{0,3}}? {_CRITICAL_MEDS_ES}",
    )),
    ("high_blood_pressure", "en", (
        r"(?:blood pressure|bp\b)[\w ]{0,10}? (?:very|really|extremely|dangerously|super|way too|so) high",
        r"hypertensive (?:crisis|emergency|urgency)",
    )),
    ("high_blood_pressure", "es", (
        r"presion (?:arterial )?(?:esta )?(?:muy|super|bien|demasiado) alta",
        r"crisis hipertensiva",
    )),
    ("worsening_infection", "en", (
        r"redness (?:is |has |keeps )?(?:spreading|getting bigger|growing|expanding)",
        r"spreading redness",
        r"red (?:streaks?|lines?)",
        r"pus\b",
        r"(?:wound|incision|cut|stitches|staples|site|bite)\b[\w ]{0,25}?\b(?:oozing|draining|leaking|weeping"
        r"|infected|smells|foul|hot to the touch|opened up)",
        r"infection (?:is |seems |keeps )?(?:getting worse|worse|worsening|spreading)",
        r"(?:getting|more) infected",
    )),
    ("worsening_infection", "es", (
        r"pus\b",
        r"(?:enrojecimiento|rojez|lo rojo)\b[\w ]{0,15}?\b(?:se (?:esta )?(?:extiende|extendiendo|expande)"
        r"|crece|aumenta)",
        r"(?:herida|incision|cortada|puntos)\b[\w ]{0,25}?\b(?:supura\w*|infectad[ao]|caliente|mal olor"
        r"|huele mal)",
        r"infeccion\b[\w ]{0,10}?\b(?:empeora\w*|peor|se extiende)",
        r"(?:lineas|rayas) rojas",
    )),
    ("dehydration", "en", (
        r"(?:cant|cannot|can not|unable to|not able to|wont) (?:keep|hold) (?:anything|any|water|fluids?"
        r"|liquids?|food|it)\b[\w ]{0,10}?\bdown",
        r"(?:hasnt|has not|havent|have not|no) (?:peed|urinated|wet diapers?)",
        r"dehydrat\w*",
    )),
    ("dehydration", "es", (
        r"no (?:puede|puedo|pueden) (?:retener|mantener|tomar) (?:nada|liquidos|agua)",
        r"no retiene (?:nada|liquidos|agua)",
        r"deshidrat\w*",
        r"no (?:ha|he) orinado",
    )),
    ("mental_health", "en", (
        r"depressed\b",
        r"hopeless\b",
        r"(?:panic|anxiety) attacks?",
        r"(?:cant|cannot) (?:cope|go on|take it anymore|handle (?:it|this) anymore)",
        r"(?:mental health|emotional) (?:crisis|emergency)",
    )),
    ("mental_health", "es", (
        r"deprimid[oa]",
        r"sin esperanza",
        r"(?:ataques?|crisis) de (?:panico|ansiedad)",
        r"(?:ya )?no (?:puedo|aguanto) mas\b",
    )),
)

URGENT_COMBOS: tuple[ComboFlag, ...] = (
    ("post_op_fever", "en", _FEVER_EN, (
        r"surger(?:y|ies)", r"surgical", r"operation\b", r"operated\b", r"post ?op\w*", r"procedure\b",
        r"incision\b", r"c section\b", r"cesarean\b", r"stitches\b",
    )),
    ("post_op_fever", "es", _FEVER_ES, (
        r"cirugia", r"operacion", r"operaron\b", r"opere\b", r"operad[oa]\b", r"procedimiento",
        r"cesarea", r"puntos\b",
    )),
    # Running out of an ordinary medication only matters when the last dose is today.
    ("medication_out", "en", (
        r"(?:out of|ran out|run out|no more)\b(?: of)?(?: \w+){0,3}? (?:meds|medications?|medicines?"
        r"|pills|tablets)\b",
    ), (r"today\b", r"tonight\b", r"this morning\b", r"right now\b", r"last (?:dose|pill)\b")),
    ("medication_out", "es", (
        r"(?:se me acab\w+|se me termin\w+|me quede sin|no me queda\w*|ya no tengo)\b(?: \w+){0,3}? "
        r"(?:medicamentos?|medicinas?|pastillas|pildoras)\b",
    ), (r"hoy\b", r"esta (?:manana|noche)\b", r"ultima (?:dosis|pastilla)\b")),
)

# fmt: on

# --- Context: negation, hypotheticals and history ---------------------------------------------------

# A cue only negates a flag that follows it closely in the same clause (NegEx-style window), so
# "I could not sleep due to chest pain" still counts while "I have not had any chest pain" does not.
_NEGATION_CUES = (
    r"no(?! (?:one|sure|idea|se si|estoy segur))",
    r"not(?! (?:sure|certain))",
    r"never",
    r"nunca",
    r"denie[sd]|deny|denying",
    r"without",
    r"sin",
    r"ni",
    r"nor",
    r"none",
    r"negative for",
    r"free of",
    r"dont|doesnt|didnt|havent|hasnt|hadnt|isnt|arent|wasnt|werent",
    r"niega|niego",
    # Not negations, but equally "this is not happening to the patient now".
    r"(?:history|hx) of",
    r"antecedentes de",
    r"(?:risks?|chances?) (?:of|for)",
    r"riesgo de",
    r"prevent\w*",
    r"prevenir",
    r"avoid\w*",
    r"evitar",
    r"died (?:of|from)",
    r"passed away (?:of|from)",
    r"death (?:from|by)",
    r"(?:murio|fallecio) (?:de|por)",
    r"in case of",
    r"en caso de",
    r"(?:meds?|medications?|medicines?|pills|prescriptions?|refills?|rx) for",
    r"(?:medicamentos?|medicinas?|pastillas|receta) para",
)
_NEGATION_RE = re.compile(r"\b(?:" + "|".join(_NEGATION_CUES) + r")\b")
_NEGATION_MAX_GAP = 4
_NEGATION_MAX_CONTENT_WORDS = 1
_GAP_FILLERS = frozenset(
    "a an the any more much really real further significant new recent of have has had having get "
    "getting got feel feeling felt experience experiencing experienced been signs sign symptoms symptom "
    "ever current el la los las un una unos unas ningun ninguna ninguno mas tengo tiene tenia tuve tuvo "
    "siento senti sintio he ha de del sintomas signos ya".split()
)
# A flag that is itself phrased negatively ("can't breathe", "won't stop bleeding") is not cancelled by
# another negation before it: "no, I can't breathe".
_SELF_NEGATED_RE = re.compile(r"\b(?:no|not|cant|cannot|wont|unable|dont|doesnt|isnt|hasnt|havent|sin)\b")

_PAST_VERB_RE = re.compile(
    r"\b(?:had|has had|have had|suffered|survived|was diagnosed|got diagnosed|tuvo|tuve|ha tenido"
    r"|sufrio|sufri|le dio|me dio)\b"
)
_PAST_TIME_RE = re.compile(
    r"\b(?:(?:19|20)\d\d"
    r"|(?:\d+|a|an|one|two|three|four|five|few|several|many|couple of) (?:years?|yrs?|months?) ago"
    r"|years ago|months ago|last (?:year|month|spring|summer|fall|autumn|winter)|in the past"
    r"|as a (?:child|kid|teen|teenager|baby)|when (?:i|he|she) was (?:a |little|young|\d+)"
    r"|hace (?:\d+ |un |una |unos |unas |varios |varias |muchos |dos |tres |pocos )?(?:anos?|meses|mes)"
    r"|el ano pasado|de (?:nino|nina|chico|chica))\b"
)
_ONGOING_RE = re.compile(
    r"\b(?:now|again|today|tonight|currently|still|right now|since|lately|worse|worsening"
    r"|this (?:morning|afternoon|evening)|ahora|hoy|otra vez|de nuevo|todavia|aun|desde|peor"
    r"|esta (?:manana|tarde|noche))\b"
)
_CONTEXT_WINDOW = 200  # characters either side of a flag that its clause or sentence can span
_CLAUSE_BREAK_RE = re.compile(
    r"[,;!?\n\u00a1\u00bf]|(?<!\d)\.|\.(?!\d)|\b(?:but|pero|however|although|though|aunque|sino)\b"
)
_SENTENCE_BREAK_RE = re.compile(r"[!?;\n\u00a1\u00bf]|(?<!\d)\.|\.(?!\d)")


# --- Normalisation and language ---------------------------------------------------------------------

_APOSTROPHES_RE = re.compile(r"['\u2018\u2019\u02bc`\u00b4]")
_SEPARATORS_RE = re.compile(r"[-\u2010-\u2015_*\"()\[\]{}<>|~#\u201c\u201d]")
_SPACES_RE = re.compile(r"[ \t\r\f\v]+")


def normalize(text: str) -> str:
    text = _APOSTROPHES_RE.sub("", text)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower()
    text = _SEPARATORS_RE.sub(" ", text)
    return _SPACES_RE.sub(" ", text).strip()


_ES_WORDS = frozenset(
    "de la que el en y los se del las un por con una su para es al lo como mas pero sus le ya este porque "
    "esta estoy mi mis tengo tiene hola gracias puedo puede quiero necesito cita hora muy dolor ayuda donde "
    "cuando abren usted favor buenos buenas dias tardes noches sangre pecho respirar hijo hija esposo "
    "esposa medico receta manana ahora hoy tambien nada algo sin mucho cual quien fiebre alta habla "
    "sangrado abundante despierta garganta pastillas insulina herida cirugia presion consulta ayer "
    "semana estan".split()
)
# Endings that are common in Spanish and rare in English, for short messages with no stopword.
_ES_SUFFIXES = ("cion", "ando", "iendo", "ado", "ada", "idos", "idas")
_EN_WORDS = frozenset(
    "the and is are to of in my i you it for have has can what with this that do does need please your was "
    "be at on not hello hi thanks thank want will would could should how where when she his her we our "
    "they appointment im its cant dont".split()
)
# Characters that in practice only Spanish writers type; a strong hint in short messages.
_ES_MARKS = frozenset("ñÑ¿¡áéíóúÁÉÍÓÚ")
_WORD_RE = re.compile(r"[a-z]+")


def detect_language(text: str) -> str:
    return _detect_language(text, normalize(text))


def _detect_language(text: str, normalized: str) -> str:
    words = _WORD_RE.findall(normalized)
    english = sum(word in _EN_WORDS for word in words)
    spanish = sum(word in _ES_WORDS or word.endswith(_ES_SUFFIXES) for word in words if word not in _EN_WORDS)
    spanish += min(2, sum(ch in _ES_MARKS for ch in text))
    return "es" if spanish > english else "en"


# --- Matching ---------------------------------------------------------------------------------------

Span = tuple[int, int]


class _Context:
    """A normalised message plus the clause/sentence boundaries every flag check needs."""

    def __init__(self, text: str):
        self.text = text

    @cached_property
    def _clauses(self) -> tuple[list[int], list[int]]:
        breaks = [(m.start(), m.end()) for m in _CLAUSE_BREAK_RE.finditer(self.text)]
        return [s for s, _ in breaks], [e for _, e in breaks]

    @cached_property
    def _sentences(self) -> tuple[list[int], list[int]]:
        breaks = [(m.start(), m.end()) for m in _SENTENCE_BREAK_RE.finditer(self.text)]
        return [s for s, _ in breaks], [e for _, e in breaks]

    def _enclosing(self, breaks: tuple[list[int], list[int]], start: int, end: int) -> Span:
        starts, ends = breaks
        before = bisect_right(ends, start) - 1
        after = bisect_left(starts, end)
        left = ends[before] if before >= 0 else 0
        right = starts[after] if after < len(starts) else len(self.text)
        # Unpunctuated text would otherwise make every check scan the whole message (quadratic).
        return max(left, start - _CONTEXT_WINDOW), min(right, end + _CONTEXT_WINDOW)

    def first_live(self, spans: list[Span]) -> int | None:
        """Position of the first match that is about the patient now, or None."""
        for start, end in spans:
            if self.is_live(start, end):
                return start
        return None

    def is_live(self, start: int, end: int) -> bool:
        clause_start, clause_end = self._enclosing(self._clauses, start, end)
        prefix = self.text[clause_start:start]
        if not _SELF_NEGATED_RE.search(self.text, start, end) and _is_negated(prefix):
            return False
        return not self._is_historical(prefix, self.text[clause_start:clause_end], start, end)

    def _is_historical(self, prefix: str, clause: str, start: int, end: int) -> bool:
        """'My father had a stroke in 2019' is a records request, not a stroke in progress."""
        if _ONGOING_RE.search(clause):
            return False
        sentence_start, sentence_end = self._enclosing(self._sentences, start, end)
        if not _PAST_TIME_RE.search(self.text, sentence_start, sentence_end):
            return False
        return bool(_PAST_VERB_RE.search(prefix) or _PAST_TIME_RE.search(clause))


def _is_negated(prefix: str) -> bool:
    cues = list(_NEGATION_RE.finditer(prefix))
    if not cues:
        return False
    cue = cues[-1]
    gap = prefix[cue.end() :].split()
    content = [word for word in gap if word not in _GAP_FILLERS]
    return len(gap) <= _NEGATION_MAX_GAP and len(content) <= _NEGATION_MAX_CONTENT_WORDS


_BP_READING_RE = re.compile(r"\b(\d{2,3}) ?(?:/|over|sobre|entre) ?(\d{2,3})\b")


def _blood_pressure_position(ctx: _Context) -> int | None:
    """Readings at or above 180 systolic or 120 diastolic (hypertensive urgency thresholds)."""
    for match in _BP_READING_RE.finditer(ctx.text):
        systolic, diastolic = int(match.group(1)), int(match.group(2))
        plausible = 70 <= systolic <= 300 and 40 <= diastolic <= 200 and systolic > diastolic
        severe = systolic >= 180 or diastolic >= 120
        if plausible and severe and ctx.is_live(match.start(), match.end()):
            return match.start()
    return None


class _Tier:
    """Every flag of one urgency level.

    Running ~40 separate regexes over each message costs ~0.4 ms; one combined scan anchored at word
    starts finds the few candidate positions, and only there is each phrase group tried, so every
    group sees every position it matches at (overlaps included).
    """

    def __init__(
        self,
        flags: tuple[Flag, ...],
        combos: tuple[ComboFlag, ...],
        extra: tuple[tuple[str, Callable[[_Context], int | None]], ...] = (),
    ):
        groups: list[tuple[str, ...]] = []
        self._rules: list[tuple[str, tuple[int, ...]]] = []
        for code, _language, phrases in flags:
            self._rules.append((code, (len(groups),)))
            groups.append(phrases)
        for code, _language, first, second in combos:
            self._rules.append((code, (len(groups), len(groups) + 1)))
            groups += [first, second]
        self._groups = tuple(re.compile("(?:" + "|".join(phrases) + ")") for phrases in groups)
        # The lookahead keeps the scan from trying every phrase at word ends as well as word starts.
        self._scan = re.compile(r"\b(?=\w)(?:" + "|".join(p for phrases in groups for p in phrases) + ")")
        self._extra = extra

    def _spans(self, text: str) -> list[list[Span]]:
        spans: list[list[Span]] = [[] for _ in self._groups]
        position = 0
        while (hit := self._scan.search(text, position)) is not None:
            start = hit.start()
            for index, group in enumerate(self._groups):
                if (match := group.match(text, start)) is not None:
                    spans[index].append((start, match.end()))
            position = start + 1
        return spans

    def reasons(self, ctx: _Context) -> list[str]:
        """Codes in order of where they first appear in the message, each once."""
        spans = self._spans(ctx.text)
        first_seen: dict[str, int] = {}
        found = [(code, self._position(ctx, spans, indices)) for code, indices in self._rules]
        found += [(code, position_of(ctx)) for code, position_of in self._extra]
        for code, position in found:
            if position is not None and position < first_seen.get(code, len(ctx.text) + 1):
                first_seen[code] = position
        return sorted(first_seen, key=first_seen.__getitem__)

    @staticmethod
    def _position(ctx: _Context, spans: list[list[Span]], indices: tuple[int, ...]) -> int | None:
        if not all(spans[i] for i in indices):
            return None
        positions = [ctx.first_live(spans[i]) for i in indices]
        return None if None in positions else min(positions)


_EMERGENCY = _Tier(EMERGENCY_FLAGS, EMERGENCY_COMBOS)
_URGENT = _Tier(URGENT_FLAGS, URGENT_COMBOS, (("high_blood_pressure", _blood_pressure_position),))


def triage(text: str) -> Triage:
    """Classify one inbound message. Reasons list emergency codes first, then urgent ones."""
    text = text or ""
    ctx = _Context(normalize(text))
    emergency = _EMERGENCY.reasons(ctx)
    urgent = _URGENT.reasons(ctx)
    urgency = EMERGENCY if emergency else URGENT if urgent else ROUTINE
    return Triage(urgency, tuple(emergency + urgent), _detect_language(text, ctx.text))
