"""What counts as a secret, defined once: credentials never reach a sandbox, the store, a log,
a report or a pull request.

A secret is the value of an environment variable whose name looks like it holds a
credential (`is_secret_name`), a credential embedded in a URL, or a value the caller names
(an API key it was given directly). `redact` replaces all of them in text.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Mapping

log = logging.getLogger("perfagent.sandbox")

_WORDS = frozenset(
    {"KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "PASSPHRASE", "CREDENTIAL", "CREDENTIALS"}
    | {"AUTH", "COOKIE", "APIKEY", "PAT"}
)
_PARTS = ("SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "APIKEY", "API_KEY", "PRIVATE_KEY")
URL_CREDENTIALS = re.compile(r"://[^/\s:@]+:[^/\s@]+@")
"""`scheme://user:password@host`: a credential inside a URL."""
MIN_LENGTH = 8
"""Shorter values are not redacted on their own (they would match ordinary text)."""


def is_secret_name(name: str) -> bool:
    """Whether an environment variable name looks like it holds a credential."""
    upper = name.upper()
    words = re.split(r"[^A-Z0-9]+", upper)
    return any(w in _WORDS for w in words) or any(p in upper for p in _PARTS)


def secret_values(extra: Iterable[str] = ()) -> list[str]:
    """The host's secret values (and `extra`), longest first, each at least MIN_LENGTH."""
    found = {v for k, v in os.environ.items() if is_secret_name(k)} | set(extra)
    return sorted((v for v in found if v and len(v) >= MIN_LENGTH), key=len, reverse=True)


def redact(text: str, extra: Iterable[str] = ()) -> str:
    """`text` with every secret replaced by `***`: whole values, and the long prefixes and
    suffixes a truncated message can leave of them."""
    for secret in secret_values(extra):
        text = text.replace(secret, "***")
        if len(secret) >= 20:
            for piece in (secret[:12], secret[-8:]):
                text = text.replace(piece, "***")
    return URL_CREDENTIALS.sub("://***@", text)


def holds_secret(value: str, secrets: Iterable[str]) -> bool:
    """Whether `value` carries a URL credential or one of `secrets`."""
    return bool(URL_CREDENTIALS.search(value)) or any(s in value for s in secrets)


NEVER_ENV = frozenset({"BASH_ENV", "ENV", "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT"})
"""Variables that change how a shell or the dynamic loader starts: never from a caller."""


def admitted(env: Mapping[str, str] | None) -> dict[str, str]:
    """The caller's variables a sandboxed command may see: secret-looking names, start-up
    hooks and values that carry a host secret under an innocent name are dropped (logged)."""
    secrets = secret_values()
    out: dict[str, str] = {}
    for name, value in (env or {}).items():
        value = str(value)
        if is_secret_name(name) or name in NEVER_ENV or name.startswith("BASH_FUNC_"):
            log.warning("not passing %s to the sandbox (looks like a secret)", name)
        elif holds_secret(value, secrets):
            log.warning("not passing %s to the sandbox (holds a credential)", name)
        else:
            out[name] = value
    return out
