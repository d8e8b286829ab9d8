"""Personal links: a random token per person, of which the service keeps only the hash.

A link is a bearer secret (whoever holds it is that student), so the database holds its
SHA-256 alone: a leaked database or backup gives no working link. A token is looked up by its
hash, so no comparison of secrets ever depends on how much of a guess was right.
"""

import hashlib
import secrets

TOKEN_BYTES = 32  # 256 bits: never guessed, so a wrong link needs no lock-out


def new_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def new_id():
    """A submission's id: random, so that one id tells nothing of another's."""
    return secrets.token_hex(16)


def is_id(text):
    return len(text) == 32 and all(c in "0123456789abcdef" for c in text)
