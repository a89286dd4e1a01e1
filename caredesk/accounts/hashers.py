from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 at minimal cost, for the test suite only (selected when CAREDESK_TESTING is set)."""

    time_cost = 1
    memory_cost = 256
    parallelism = 1
