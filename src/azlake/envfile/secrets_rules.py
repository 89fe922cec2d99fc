"""HDInsight's rules for the gateway login, the SSH user and their passwords (never echoing a password)."""

from __future__ import annotations

import re
from collections.abc import Callable

from azlake.envfile.diagnostics import Collector, KeyPath
from azlake.envfile.models import Cluster

# The SSH user becomes a Linux account on every node, so Azure's reserved VM admin names apply to it (and
# HDInsight adds its service accounts). The gateway login is an Ambari/HTTP user, not an OS account:
# Microsoft's own HDInsight quickstart templates default it to "admin".
RESERVED_SSH_USERS = frozenset("""hadoop users oozie hive mapred ambari-qa zookeeper tez hdfs sqoop yarn hcat ams
hbase administrator admin user user1 user2 user3 user4 user5 test test1 test2 test3 admin1 admin2 1 123 a
actuser adm aspnet backup console david guest john owner root server sql support support_388945a0 sys
spark""".split())
NOT_A_SYMBOL = "'\"\\]."  # HDInsight does not count these as the required special character
_USER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")


def check_credentials(cluster: Cluster, known: Callable[[KeyPath], bool], out: Collector) -> None:
    login, ssh = cluster.login, cluster.ssh
    _login_user(login.username, out)
    _ssh_user(ssh.username, login.username, out)
    where_key = ("cluster", "ssh", "public_key")
    if ssh.password is not None and ssh.public_key is not None:
        out.error(where_key, "ssh has both a password and a public_key", "keep one of them")
    login_path, ssh_path = ("cluster", "login", "password"), ("cluster", "ssh", "password")
    if known(login_path):
        _login_password(login.password.get_secret_value(), [login.username, ssh.username], login_path, out)
    if ssh.password is not None and known(ssh_path):
        same = known(login_path) and ssh.password.get_secret_value() == login.password.get_secret_value()
        _ssh_password(ssh.password.get_secret_value(), same, ssh_path, out)


def _login_user(name: str, out: Collector) -> None:
    where = ("cluster", "login", "username")
    if not 2 <= len(name) <= 20:
        out.error(where, f"the login user name has {len(name)} characters; HDInsight allows 2-20")
    elif not _USER.fullmatch(name):
        out.error(where, f"login user name {name!r} is not valid", "letters, digits, '.', '_' and '-'")


def _ssh_user(name: str, login: str, out: Collector) -> None:
    where = ("cluster", "ssh", "username")
    if not 1 <= len(name) <= 64:
        out.error(where, f"the SSH user name has {len(name)} characters; HDInsight allows up to 64")
    elif not _USER.fullmatch(name):
        out.error(where, f"SSH user name {name!r} is not valid", "letters, digits, '.', '_' and '-'")
    elif name.lower() in RESERVED_SSH_USERS:
        out.error(where, f"SSH user name {name!r} is reserved on HDInsight nodes",
                  "choose another, e.g. sshuser or adminssh")
    if name.lower() == login.lower():
        out.error(where, "the SSH user must differ from the login (gateway) user",
                  f"e.g. {login}ssh")


def _login_password(secret: str, users: list[str], where: KeyPath, out: Collector) -> None:
    missing = []
    if len(secret) < 10:
        missing.append(f"at least 10 characters (has {len(secret)})")
    if not re.search(r"[0-9]", secret):
        missing.append("a digit")
    if not re.search(r"[A-Z]", secret):
        missing.append("an upper-case letter")
    if not re.search(r"[a-z]", secret):
        missing.append("a lower-case letter")
    if not any(not c.isalnum() and c not in NOT_A_SYMBOL and not c.isspace() for c in secret):
        missing.append("a symbol other than ' \" \\ ] .")
    if missing:
        out.error(where, "the login password is too weak for HDInsight: it needs " + ", ".join(missing),
                  "set the variable to a stronger password (the value is never shown)")
    for user in users:
        if any(user[i:i + 3].lower() in secret.lower() for i in range(max(len(user) - 2, 0))):
            out.error(where, f"the login password contains three consecutive characters of the user name "
                      f"{user!r}", "HDInsight refuses that; choose another password")
    if any(c in NOT_A_SYMBOL for c in secret):
        out.warning(where, "the login password contains one of ' \" \\ ] . which HDInsight documents as not "
                    "valid special characters", "they may be refused; prefer symbols like ! # $ % & * + -")


def _ssh_password(secret: str, same_as_login: bool, where: KeyPath, out: Collector) -> None:
    if len(secret) > 72:
        out.error(where, f"the SSH password has {len(secret)} characters; HDInsight allows 6-72")
    if same_as_login:
        return
    missing = [need for need, ok in (("at least 6 characters", len(secret) >= 6),
                                     ("a digit", re.search(r"[0-9]", secret)),
                                     ("an upper-case letter", re.search(r"[A-Z]", secret)),
                                     ("a lower-case letter", re.search(r"[a-z]", secret))) if not ok]
    if missing:
        out.error(where, "the SSH password is too weak: it needs " + ", ".join(missing),
                  "set the variable to a stronger password (the value is never shown)")


def generate_password(users: list[str]) -> str:
    """A gateway/SSH password HDInsight accepts by construction (upper, lower, digit, an accepted symbol, 24
    characters), checked against the same rules as a password from the file; never shown.

    Hex digits after a fixed prefix: random letters could hold three consecutive characters of the user
    names ("adm", "ssh"), which HDInsight refuses; a user name made of hex digits is checked and redrawn."""
    import secrets as random

    from azlake.envfile.diagnostics import Collector, Locations
    while True:
        password = "Qz7!" + random.token_hex(10)
        out = Collector(Locations())
        _login_password(password, users, ("cluster", "login", "password"), out)
        if not out.items:
            return password

