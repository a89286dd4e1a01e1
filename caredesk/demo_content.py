"""What the demo clinic, Riverside Family Health, is made of: people, records and the week's messages.

Everything here is fictional. Phone numbers are in the 555-01xx style reserved for fiction and email
addresses use example.org. Times are how long ago something happened, e.g. "1d2h" or "35m".
"""

from dataclasses import dataclass

# --- Staff ------------------------------------------------------------------------------------------
# (username, first name, last name, role, team slugs, on duty). The first seven are the documented
# demo logins; the integration service account has no password and is never listed as a login.

TEAMS = [
    ("Front desk", "front-desk", True, False),
    ("Nursing", "nursing", False, True),
    ("Billing", "billing", False, False),
]

STAFF = [
    ("admin", "Alex", "Admin", "admin", [], False),
    ("supervisor", "Sam", "Rivera", "supervisor", ["front-desk", "nursing", "billing"], False),
    ("agent", "Maya", "Chen", "agent", ["front-desk"], True),
    ("nurse", "Noah", "Patel", "nurse", ["nursing"], True),
    ("billing", "Bea", "Okafor", "billing", ["billing"], False),
    ("provider", "Dr. Lena", "Ortiz", "provider", ["nursing"], False),
    ("auditor", "Ari", "Walsh", "auditor", [], False),
    ("jordan", "Jordan", "Lee", "agent", ["front-desk"], True),
    ("rosa", "Rosa", "Delgado", "billing", ["billing"], False),
]

INTEGRATION_USERNAME = "integration"

# --- Patients -------------------------------------------------------------------------------------
# (first name, last name, preferred language, date of birth or None for a seeded random one).

PATIENTS = [
    ("Walter", "Hughes", "en", "1957-03-14"),
    ("Daniel", "Kim", "en", "1986-09-02"),
    ("Priya", "Raman", "en", "1996-01-23"),
    ("Gloria", "Bennett", "en", "1964-07-30"),
    ("Marcus", "Johnson", "en", None),
    ("Emily", "Carter", "en", "2001-11-08"),
    ("Olivia", "Thompson", "en", None),
    ("James", "O'Connor", "en", None),
    ("Linda", "Park", "en", "1959-05-17"),
    ("Harold", "Whitfield", "en", "1941-02-11"),
    ("Aisha", "Mohammed", "en", None),
    ("Kevin", "Murphy", "en", None),
    ("Grace", "Liu", "en", None),
    ("Robert", "Fischer", "en", None),
    ("Tyler", "Brooks", "en", None),
    ("Hannah", "Schmidt", "en", None),
    ("Samuel", "Adeyemi", "en", None),
    ("Ethan", "Sullivan", "en", "2016-08-19"),
    ("Patricia", "Greene", "en", None),
    ("Brian", "Novak", "en", None),
    ("Dorothy", "Evans", "en", "1946-12-03"),
    ("Chris", "Taylor", "en", None),
    ("Nathan", "Wright", "en", "1970-04-25"),
    ("Sarah", "Mitchell", "en", None),
    ("Jessica", "Howard", "en", None),
    ("Anthony", "Rossi", "en", None),
    ("Mei", "Tanaka", "en", None),
    ("Ruth", "Abernathy", "en", "1943-06-21"),
    ("Benjamin", "Cole", "en", None),
    ("Zoe", "Adams", "en", "2019-03-09"),
    ("Isaac", "Goldberg", "en", None),
    ("Fatima", "Hassan", "en", None),
    ("Lucas", "Meyer", "en", None),
    ("Owen", "Gallagher", "en", None),
    ("Chloe", "Dubois", "en", None),
    ("Victor", "Nguyen", "en", None),
    ("Jorge", "Jiménez", "es", "1962-10-05"),
    ("Sofía", "Reyes", "es", "2021-04-14"),
    ("Luis", "Hernández", "es", None),
    ("Ana", "Torres", "es", None),
    ("Miguel Ángel", "Flores", "es", None),
    ("Guadalupe", "Morales", "es", None),
    ("José", "Castillo", "es", "1955-08-28"),
    ("Elena", "Vargas", "es", None),
    ("Javier", "Ruiz", "es", None),
    ("Lucía", "Mendoza", "es", None),
    ("Alejandro", "Navarro", "es", None),
    ("Marisol", "Ortega", "es", None),
]

# The clinic's real consent wording, as signed on the intake form.
SMS_CONSENT = {
    "en": (
        "I agree to receive text messages from Riverside Family Health about appointments, "
        "prescriptions and billing. Message and data rates may apply. Reply STOP to opt out."
    ),
    "es": (
        "Acepto recibir mensajes de texto de Riverside Family Health sobre citas, recetas y facturación. "
        "Pueden aplicarse tarifas de mensajes y datos. Responda STOP para cancelar."
    ),
}
EMAIL_CONSENT = {
    "en": "I agree to receive email from Riverside Family Health about my care and my account.",
    "es": "Acepto recibir correos electrónicos de Riverside Family Health sobre mi atención y mi cuenta.",
}

# Patients who told the front desk they no longer want texts.
SMS_WITHDRAWN = {"Isaac Goldberg", "Chloe Dubois"}

# Patients with no email on file.
NO_EMAIL = {"Walter Hughes", "Harold Whitfield", "Ruth Abernathy", "José Castillo", "Miguel Ángel Flores"}

# fmt: off
# (patient, caregiver name, relationship, access scope)
CAREGIVERS = [
    ("Harold Whitfield", "Susan Whitfield", "Daughter", "scheduling"),
    ("Ethan Sullivan", "Megan Sullivan", "Mother", "full"),
    ("Sofía Reyes", "Carmen Reyes", "Madre", "full"),
    ("Zoe Adams", "Rachel Adams", "Mother", "full"),
    ("Jorge Jiménez", "Rosa María Jiménez", "Esposa", "full"),
    ("Dorothy Evans", "Paul Evans", "Son", "billing"),
]

# (patient, kind, author username, body)
PATIENT_NOTES = [
    ("Walter Hughes", "clinical", "provider",
     "CAD with stent (2019). On clopidogrel and atorvastatin. Any chest symptoms: advise 911, do not book."),
    ("Daniel Kim", "clinical", "provider",
     "Laparoscopic cholecystectomy at St. Mary's last Thursday. Surgeon: Dr. Feld. Post-op check due in 2 weeks."),
    ("Priya Raman", "clinical", "nurse",
     "Type 1 diabetes, pump paused. Uses Lantus + Humalog pens; endo is Dr. Brandt."),
    ("Harold Whitfield", "handoff", "agent",
     "Daughter Susan handles his appointments. He is hard of hearing: call Susan first, text is fine."),
    ("Kevin Murphy", "handoff", "supervisor",
     "Complained about wait times twice this quarter. Please book him first slot of the day when possible."),
    ("Aisha Mohammed", "billing", "billing",
     "Annual physical billed with a problem-visit code as well (discussed thyroid). Reviewing with coding."),
    ("Chris Taylor", "billing", "rosa",
     "New plan starts this month; we need a photo of the front and back of the card."),
    ("Ana Torres", "billing", "rosa",
     "Pagó $35 de copago en recepción el 3; el estado de cuenta salió antes del pago."),
    ("José Castillo", "clinical", "nurse",
     "HTN, on amlodipine and losartan. Home cuff checked against ours in March: accurate."),
    ("Emily Carter", "clinical", "provider", "Started sertraline 50 mg six weeks ago. Follow-up visit is overdue."),
    ("Ruth Abernathy", "handoff", "nurse",
     "Lives alone; daughter Karen checks in daily. Atrial fibrillation, on apixaban."),
    ("Dorothy Evans", "billing", "billing", "Son Paul pays her statements; send billing mail to him (see caregiver)."),
]
# fmt: on


# --- Conversations ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class In:
    """A message from the patient (or someone writing for them)."""

    ago: str
    body: str


@dataclass(frozen=True)
class Reply:
    ago: str
    by: str
    body: str


@dataclass(frozen=True)
class Note:
    """An internal note: staff only, never sent."""

    ago: str
    by: str
    body: str


@dataclass(frozen=True)
class Thread:
    patient: str
    channel: str
    steps: tuple
    # Where the conversation ends up. Triage sets emergency/urgent/normal from the messages; "low" is a
    # staff decision after reading, so only that one is applied by the loader.
    status: str
    priority: str
    assignee: str = ""
    team: str = ""
    labels: tuple[str, ...] = ()
    snooze: str = ""
    # Someone who is not (yet) a patient: (kind, value, name); a web chat visitor writes from their
    # chat session whatever contact they give.
    stranger: tuple[str, str, str] | None = None
    # The name a web chat visitor typed: a caregiver writes from the patient's linked session.
    chat_name: str = ""


# fmt: off
THREADS = [
    # Emergencies: each got the automatic safety reply the moment it arrived.
    Thread("Walter Hughes", "sms", status="open", priority="emergency", assignee="nurse", labels=("ed-followup",),
           steps=(
        In("52m", "Good morning. I've had chest pain since about 6 this morning and it's going into my left arm. "
                  "Should I come in today?"),
        Note("49m", "nurse", "Called him at once: pain 7/10, sweaty. Told him to call 911 and not to drive. "
                             "Wife on the line, calling now. Dr. Ortiz informed."),
        Reply("47m", "nurse", "Mr. Hughes, this is Noah, a nurse at Riverside. Please call 911 now and do not drive "
                              "yourself. We have told Dr. Ortiz and will check on you later today."),
        In("41m", "Ok. The ambulance is here, going to Mercy General."),
    )),
    Thread("Jorge Jiménez", "webchat", status="resolved", priority="emergency", assignee="nurse",
           chat_name="Rosa María Jiménez", labels=("ed-followup",), steps=(
        In("1d20h", "Hola, soy Rosa, la esposa de Jorge. Desde hace media hora tiene dolor en el pecho y le cuesta "
                    "respirar. ¿Qué hacemos?"),
        Reply("1d19h50m", "nurse", "Señora Jiménez, llame al 911 ahora mismo. No lo lleve usted en el carro. "
                                "Avísenos cuando estén en el hospital."),
        In("1d19h", "Ya estamos en urgencias del hospital Mercy. Lo están atendiendo. Gracias."),
        Note("1d19h", "nurse", "Admitted to Mercy General for observation. Asked Dr. Ortiz to request the discharge "
                               "summary."),
    )),
    Thread("Ruth Abernathy", "phone", status="pending", priority="emergency", assignee="provider", steps=(
        In("2h10m", "Voicemail transcript: Hi, this is Karen, Ruth Abernathy's daughter. Mom's face is drooping on "
                    "one side and her speech is slurred since breakfast. Please call me back."),
        Note("2h5m", "nurse", "Called Karen back: told her to call 911 immediately (stroke signs, on apixaban). "
                              "EMS on the way to the house."),
        Note("1h30m", "provider", "Spoke with the ED at Mercy: stroke team activated. Waiting for Karen's update."),
    )),
    # Urgent: nursing sees these first.
    Thread("Daniel Kim", "sms", status="open", priority="urgent", labels=("post-op",), steps=(
        In("18m", "Hi, I had my gallbladder surgery Thursday. Woke up with a fever of 101.8 and the incision "
                  "looks red and puffy. Is that normal?"),
    )),
    Thread("Priya Raman", "sms", status="pending", priority="urgent", assignee="nurse", labels=("refill",), steps=(
        In("1h35m", "I just ran out of my insulin and the pharmacy says the refill needs the doctor's approval. "
                    "Can someone send it today?"),
        Reply("1h20m", "nurse", "Hi Priya, Dr. Ortiz approved the refill and it was sent to Walgreens on Main St. "
                                "It should be ready within the hour. Call us if it isn't."),
    )),
    Thread("Gloria Bennett", "email", status="open", priority="urgent", steps=(
        In("3h", "I've had a stomach bug since Saturday night and I can't keep anything down, not even water. "
                 "I feel dizzy when I stand up."),
    )),
    Thread("Marcus Johnson", "webchat", status="resolved", priority="urgent", assignee="nurse",
           chat_name="Marcus Johnson", steps=(
        In("2d3h", "The cut on my hand from last week is oozing pus and the redness is spreading up my wrist."),
        Reply("2d2h", "nurse", "Thanks for telling us, Marcus. That needs to be seen today. We have a 3:40 pm "
                               "slot with Dr. Ortiz. Does that work?"),
        In("2d1h50m", "Yes, I'll be there."),
        Note("2d", "provider", "Seen: cellulitis, started cephalexin. Recheck Thursday."),
    )),
    Thread("Emily Carter", "webchat", status="pending", priority="urgent", assignee="provider",
           chat_name="Emily Carter", steps=(
        In("5h", "I've been feeling really depressed and hopeless for the last two weeks. The new medicine "
                 "doesn't seem to help. Can I talk to someone?"),
        Reply("4h30m", "provider", "Emily, thank you for reaching out. I'm Dr. Ortiz. I'd like to see you today: "
                                   "can you come at 1:15? If things feel unsafe at any point, call or text 988."),
    )),
    Thread("Sofía Reyes", "sms", status="open", priority="urgent", assignee="nurse", steps=(
        In("1h5m", "Buenos días. Mi hija Sofía tiene fiebre de 39.8 desde anoche y no retiene líquidos. "
                   "¿La pueden ver hoy?"),
    )),
    Thread("José Castillo", "phone", status="snoozed", priority="urgent", assignee="nurse", snooze="2h", steps=(
        In("2h40m", "Llamada: el paciente dice que la presión está muy alta esta mañana, 186 sobre 104, con "
                    "dolor de cabeza leve."),
        Note("2h30m", "nurse", "Called back in Spanish. No chest pain, no weakness. Took amlodipine late; "
                               "rechecking in 2 hours. Snoozed until then."),
    )),
    # Routine traffic.
    Thread("Olivia Thompson", "sms", status="pending", priority="normal", assignee="agent", labels=("scheduling",),
           steps=(
        In("35m", "Hi! I need to move my 10:30 tomorrow with Dr. Ortiz, my car broke down. "
                  "Anything Wednesday afternoon?"),
        Reply("25m", "agent", "Hi Olivia, we can do Wednesday at 2:15 or 3:30 with Dr. Ortiz. Which works better?"),
    )),
    Thread("James O'Connor", "email", status="resolved", priority="normal", assignee="jordan", labels=("scheduling",),
           steps=(
        In("2d5h", "Please cancel my appointment on the 14th. I'll be traveling for work and will call to rebook."),
        Reply("1d23h", "jordan", "Hi James, your appointment on the 14th is cancelled. Safe travels, and call or "
                                 "text when you're back."),
    )),
    Thread("Linda Park", "sms", status="pending", priority="normal", assignee="nurse", labels=("refill",), steps=(
        In("2h50m", "Can I get a refill on my lisinopril? I have about a week left. Same pharmacy please."),
        Reply("2h15m", "nurse", "Hi Linda, the refill request is with Dr. Ortiz. You'll get a text from the "
                                "pharmacy when it's ready."),
    )),
    Thread("Harold Whitfield", "webchat", status="pending", priority="normal", assignee="agent",
           chat_name="Susan Whitfield", labels=("scheduling",), steps=(
        In("1h50m", "Hi, this is Susan, Harold Whitfield's daughter. Can we move Dad's follow-up from Thursday "
                    "morning to Friday? I can't drive him Thursday."),
        Reply("1h40m", "agent", "Hi Susan, Friday at 10:00 with Dr. Ortiz is open. Shall I book it and release "
                                "Thursday?"),
    )),
    Thread("Aisha Mohammed", "email", status="open", priority="normal", assignee="billing", team="billing",
           labels=("billing",), steps=(
        In("1d3h", "I got a bill for $240 for my physical last month. I thought preventive visits were covered "
                   "at 100%? Can someone explain?"),
        Note("3h", "billing", "Problem-visit code added for the thyroid discussion. Checking with coding whether "
                              "it should stand before replying."),
    )),
    Thread("Kevin Murphy", "email", status="pending", priority="normal", assignee="supervisor", labels=("complaint",),
           steps=(
        In("1d22h", "I waited 50 minutes past my appointment time on Friday and nobody told me anything. "
                    "This is the third time this year. I'm seriously thinking about switching practices."),
        Reply("4h", "supervisor", "Mr. Murphy, I'm sorry: a 50-minute wait without an update is not acceptable. "
                                  "I've spoken with the front desk team, and I'd like to call you today to "
                                  "hear more. What time suits you?"),
    )),
    Thread("Robert Fischer", "email", status="snoozed", priority="normal", assignee="jordan", labels=("records",),
           snooze="2d", steps=(
        In("1d1h", "Can you send my immunization records to my new employer? They need them by the end of the month."),
        Reply("6h", "jordan", "Hi Robert, we can do that once we have your signed release. I've emailed you the "
                              "form; reply with a photo of it and we'll send the records the same day."),
    )),
    Thread("Tyler Brooks", "api", status="pending", priority="normal", assignee="nurse", steps=(
        In("4h20m", "Did my blood work from last week come back yet?"),
        Reply("3h40m", "nurse", "Hi Tyler, your results are in and Dr. Ortiz has reviewed them: everything is in "
                                "the normal range. You'll see them in the portal today."),
    )),
    Thread("Samuel Adeyemi", "sms", status="open", priority="normal", steps=(
        In("40m", "Hi, can you send my prescriptions to the CVS on Elm St instead of Walgreens? I moved."),
    )),
    Thread("Ethan Sullivan", "email", status="snoozed", priority="normal", assignee="agent", labels=("forms",),
           snooze="1d", steps=(
        In("2d6h", "Hi, this is Megan, Ethan's mom. He needs his school sports physical form filled out. "
                   "He had his checkup in June. Can you do it from that visit?"),
        Reply("1d21h", "agent", "Hi Megan, yes. Dr. Ortiz will complete it from the June visit; it'll be ready "
                                "for pickup tomorrow."),
    )),
    Thread("Patricia Greene", "phone", status="resolved", priority="normal", assignee="jordan", labels=("scheduling",),
           steps=(
        In("1d4h", "Call summary: Patricia asked to move her annual physical to a morning appointment next month."),
        Note("1d3h55m", "jordan", "Rebooked for the 9th at 8:30 with Dr. Ortiz. Confirmation sent by email."),
    )),
    Thread("Brian Novak", "webchat", status="open", priority="normal", assignee="agent", chat_name="Brian Novak",
           labels=("referral",), steps=(
        In("55m", "Any update on my referral to dermatology? It's been three weeks."),
    )),
    Thread("Chris Taylor", "email", status="snoozed", priority="normal", assignee="rosa", team="billing",
           labels=("insurance",), snooze="3d", steps=(
        In("2d1h", "I have new insurance starting this month (Aetna). What do you need from me?"),
        Reply("1d2h", "rosa", "Hi Chris, please reply with a photo of the front and back of your new card. "
                              "We'll update your file before your next visit."),
    )),
    Thread("Nathan Wright", "sms", status="open", priority="normal", assignee="nurse", steps=(
        In("1h15m", "The new cholesterol pill is giving me muscle aches in my legs. Should I keep taking it?"),
    )),
    Thread("Sarah Mitchell", "sms", status="resolved", priority="normal", assignee="nurse", labels=("refill",), steps=(
        In("3d2h", "Could I get a refill on my birth control? Same pharmacy as last time."),
        Reply("3d1h", "nurse", "Hi Sarah, done: sent to your pharmacy. It should be ready this afternoon."),
        In("3d", "Thank you!"),
    )),
    Thread("Sarah Mitchell", "sms", status="open", priority="normal", steps=(
        In("12m", "Hi again, is there anything open this week for a sore throat? Had it since Friday."),
    )),
    Thread("Anthony Rossi", "email", status="resolved", priority="normal", assignee="agent", steps=(
        In("1d6h", "I need a note for work for my sick day on Friday. I was seen by Dr. Ortiz."),
        Reply("1d5h", "agent", "Hi Anthony, the work note is in your portal now under Letters."),
    )),
    Thread("Luis Hernández", "sms", status="pending", priority="normal", assignee="nurse", labels=("refill",), steps=(
        In("2h25m", "Buenos días, necesito una receta nueva para la metformina. Me quedan cinco pastillas."),
        Reply("2h", "nurse", "Buenos días, Luis. La doctora Ortiz ya aprobó la receta. Estará lista en su "
                             "farmacia esta tarde."),
    )),
    Thread("Ana Torres", "sms", status="resolved", priority="normal", assignee="rosa", team="billing",
           labels=("billing",), steps=(
        In("1d2h", "Hola, recibí una factura de $35 pero ya pagué el copago en la recepción."),
        Reply("1d1h", "rosa", "Hola Ana, tiene razón: su pago se registró después de enviar la factura. "
                              "Su saldo es $0. Disculpe la confusión."),
        In("1d", "Perfecto, muchas gracias."),
    )),
    Thread("Guadalupe Morales", "webchat", status="pending", priority="normal", assignee="jordan",
           chat_name="Guadalupe Morales", labels=("scheduling",), steps=(
        In("30m", "¿Puedo cambiar mi cita del jueves para el viernes en la mañana?"),
        Reply("20m", "jordan", "Claro que sí. Tenemos el viernes a las 9:00 o a las 10:45. ¿Cuál prefiere?"),
    )),
    Thread("", "webchat", status="open", priority="normal", chat_name="Tom Becker",
           stranger=("email", "tom.becker@example.org", "Tom Becker"), labels=("new-patient",), steps=(
        In("25m", "Are you accepting new patients? I just moved to the area and have Blue Cross PPO."),
    )),
    Thread("", "email", status="open", priority="normal",
           stranger=("email", "valeria.soto@example.org", "Valeria Soto"), labels=("new-patient",), steps=(
        In("1d8h", "Hola, ¿aceptan Medicaid? Busco un médico para mi familia, somos cuatro."),
    )),
    # Low: staff lowered these after reading them.
    Thread("Grace Liu", "email", status="resolved", priority="low", assignee="supervisor", labels=("compliment",),
           steps=(
        In("2d4h", "Just wanted to say thank you to Noah and Dr. Ortiz for taking such good care of my mom "
                   "last week. You were all wonderful."),
        Reply("2d", "supervisor", "Thank you, Grace! I've passed your note on to Noah and Dr. Ortiz. "
                                  "It made their day."),
    )),
    Thread("Hannah Schmidt", "api", status="resolved", priority="low", steps=(
        In("3h30m", "Confirming my appointment on the 14th at 9:15."),
    )),
    Thread("Dorothy Evans", "phone", status="open", priority="low", steps=(
        In("1h45m", "Call summary: Dorothy asked when the flu shots will be available this fall."),
    )),
    Thread("Jessica Howard", "email", status="resolved", priority="low", assignee="jordan", steps=(
        In("1d7h", "Please take me off the clinic newsletter email list."),
        Reply("1d6h", "jordan", "Hi Jessica, done: you won't get the newsletter any more. Appointment emails "
                                "will still reach you."),
    )),
    Thread("Mei Tanaka", "webchat", status="resolved", priority="low", assignee="agent", chat_name="Mei Tanaka", steps=(
        In("2d7h", "I'm locked out of the patient portal. The reset link says it expired."),
        Reply("2d6h50m", "agent", "Hi Mei, I've sent a fresh reset link to your email. It works for 24 hours."),
        In("2d6h", "Got it, I'm in. Thanks!"),
    )),
    Thread("Miguel Ángel Flores", "sms", status="resolved", priority="low", assignee="jordan",
           labels=("compliment",), steps=(
        In("1d5h", "Muchas gracias a todo el equipo por la atención de ayer. Muy amables."),
        Reply("1d4h", "jordan", "¡Gracias a usted, Miguel Ángel! Se lo diremos al equipo."),
    )),
]
# fmt: on
