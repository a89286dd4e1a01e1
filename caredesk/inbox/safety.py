"""The immediate reply an emergency message gets, in the patient's language."""

SAFETY_REPLY = {
    "en": (
        "If this is an emergency, call 911 now or go to the nearest emergency room. "
        "Our staff have been alerted and will contact you as soon as possible."
    ),
    "es": (
        "Si es una emergencia, llame al 911 ahora o vaya a la sala de emergencias más cercana. "
        "Nuestro personal ha sido alertado y se comunicará con usted lo antes posible."
    ),
}

SUICIDE_LINE = {
    "en": " If you are having thoughts of suicide, call or text 988 (Suicide & Crisis Lifeline) now.",
    "es": " Si tiene pensamientos de suicidio, llame o envíe un mensaje de texto al 988 ahora (oprima 2 para español).",
}


def safety_reply(language: str, suicide_risk: bool) -> str:
    lang = language if language in SAFETY_REPLY else "en"
    return SAFETY_REPLY[lang] + (SUICIDE_LINE[lang] if suicide_risk else "")
