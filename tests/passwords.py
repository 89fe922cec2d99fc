"""Cluster passwords for tests: generated per run (never a literal) and valid by construction.

HDInsight refuses a login password holding three consecutive characters of the login or SSH user name;
random letters hit "adm" or "ssh" now and then, which made tests fail by chance. Hex digits after a fixed
prefix cannot: every three-letter run of azlake's user names has a letter outside a-f.
"""

from __future__ import annotations

import secrets


def generated_password() -> str:
    return "Qz7!" + secrets.token_hex(8)
