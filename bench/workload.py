"""The inbound messages the benchmark sends: realistic bodies, fictional senders, unique ids."""

import json
import random

PATH = "/api/v1/messages/inbound"

ROUTINE = [
    "Hi, can I move my appointment on {day} to the afternoon? Anything after {hour} works.",
    "I need a refill on my {med}. I have about a week left, same pharmacy as last time.",
    "I got a bill for ${amount} from my visit in {month}. Can someone explain the charges?",
    "Did my blood work from {day} come back yet?",
    "Thank you to the whole team for the visit on {day}, everyone was so kind.",
    "Please send my immunization records to my new employer. Do you need a signed form?",
    "Hola, ¿puedo cambiar mi cita del {dia} para la mañana? Gracias.",
    "Necesito una receta nueva para la {med}, me quedan pocas pastillas.",
    "Is there anything open this week for a sore throat? It started on {day}.",
    "My insurance changed this month. What do you need from me before my next visit?",
]
URGENT = [
    "I had surgery on {day} and now I have a fever of 101.9. The incision looks red.",
    "I ran out of my insulin and the pharmacy says it needs approval. Can you send it today?",
    "Mi hija tiene fiebre de 39.6 y no retiene líquidos desde anoche.",
]
EMERGENCY = [
    "I've had chest pain for an hour and it's going into my left arm.",
    "My husband can't breathe well and his lips look blue.",
]
FILL = {
    "day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
    "dia": ["lunes", "martes", "miércoles", "jueves", "viernes"],
    "hour": ["1", "2", "3:30", "4"],
    "med": ["lisinopril", "metformin", "atorvastatin", "levothyroxine", "metformina"],
    "amount": ["35", "120", "240", "18.50"],
    "month": ["January", "March", "June", "September"],
}
NAMES = ["Alex Morgan", "Jamie Rivera", "Sam Patel", "Chris Nguyen", "María López", "Jordan Smith", "Ana Ruiz"]


def message_body(rng: random.Random) -> str:
    roll = rng.random()
    templates = EMERGENCY if roll < 0.02 else URGENT if roll < 0.10 else ROUTINE
    text = rng.choice(templates)
    return text.format(**{key: rng.choice(values) for key, values in FILL.items()})


def sender_phone(index: int) -> str:
    """Fictional 555-01xx style numbers, one per simulated patient."""
    return f"+1555{10 + index // 10000:03d}{index % 10000:04d}"


def build_requests(count: int, prefix: str, senders: int, token: str, port: int, seed: int) -> list[bytes]:
    """Every request up front, so building them costs nothing while the clock runs."""
    rng = random.Random(seed)
    requests = []
    for number in range(count):
        sender = rng.randrange(senders)
        payload = {
            "sender": {"phone": sender_phone(sender), "name": NAMES[sender % len(NAMES)]},
            "body": message_body(rng),
            "provider_message_id": f"{prefix}-{number}",
        }
        body = json.dumps(payload).encode()
        head = (
            f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        requests.append(head.encode() + body)
    return requests
