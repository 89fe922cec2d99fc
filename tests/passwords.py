"""Cluster passwords for tests: generated per run (never a literal) by azlake's own generator.

HDInsight refuses a login password holding three consecutive characters of the login or SSH user name;
the generator (hex digits after a fixed prefix, checked against the same rules as a password from a file)
cannot hit azlake's user names, so no test fails by chance.
"""

from __future__ import annotations

from azlake.envfile.secrets_rules import generate_password

USERS = ["admin", "adminssh", "sshuser"]


def generated_password() -> str:
    return generate_password(USERS)
