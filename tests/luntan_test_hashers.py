from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 still, with parameters cheap enough for hundreds of test users."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1
