"""`azlake emulator serve`: the emulator over HTTPS on loopback with a generated certificate.

The CA certificate is written to `<state-dir>/emulator-ca.pem`; point `connection_verify` (or
REQUESTS_CA_BUNDLE) at it.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from azlake.emulator.core.app import DroppedConnection, Emulator
from azlake.emulator.core.http import Endpoints, Headers, Request


def ensure_certificate(state_dir: Path) -> tuple[Path, Path, Path]:
    """Create (once) a CA and a server certificate for 127.0.0.1/localhost; return (ca, cert, key) paths."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    ca_path, cert_path, key_path = (state_dir / "emulator-ca.pem", state_dir / "emulator-cert.pem",
                                    state_dir / "emulator-key.pem")
    if ca_path.exists() and cert_path.exists() and key_path.exists():
        if key_path.stat().st_mode & 0o777 != 0o600:
            key_path.chmod(0o600)  # the server's private key: owner only, whatever made it otherwise
        return ca_path, cert_path, key_path
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "azlake emulator local CA")])
    ca_cert = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
               .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=3650))
               .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                            content_commitment=False, key_encipherment=False,
                                            data_encipherment=False, key_agreement=False,
                                            encipher_only=False, decipher_only=False), critical=True)
               .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=825))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(ca_key, hashes.SHA256()))
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # private from its first byte
    os.fchmod(fd, 0o600)  # an older file keeps its mode through O_CREAT: set it
    with os.fdopen(fd, "wb") as out:
        out.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    ca_path.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    return ca_path, cert_path, key_path


class _Handler(BaseHTTPRequestHandler):
    server_version = "azlake-emulator"
    protocol_version = "HTTP/1.1"
    # headers and body go out in separate writes; without TCP_NODELAY, Nagle's algorithm and the client's
    # delayed ACK add ~40 ms to every keep-alive request
    disable_nagle_algorithm = True
    emulator: Emulator
    endpoints: Endpoints

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = f"{self.endpoints.served_base}{self.path}"
        req = Request(self.command, url, Headers(dict(self.headers.items())), body, self.endpoints)
        try:
            resp = self.emulator.handle(req)
        except DroppedConnection:
            self.close_connection = True
            self.connection.close()
            return
        self.send_response(resp.status)
        for k, v in resp.headers.items():
            if k.lower() != "content-length":
                self.send_header(k, v)
        payload = b"" if self.command == "HEAD" else resp.body
        # a HEAD answer announces the size of what GET would return (e.g. a blob's length), not of its empty body
        announced = resp.headers.get("Content-Length") if self.command == "HEAD" else None
        self.send_header("Content-Length", announced or str(len(resp.body)))
        self.end_headers()
        if payload:
            self.wfile.write(payload)

    do_GET = do_PUT = do_POST = do_DELETE = do_PATCH = do_HEAD = _serve  # noqa: E731

    def log_message(self, format: str, *args) -> None:  # the emulator keeps its own request log
        pass


class EmulatorServer:
    """A running HTTPS server; `base_url` is where clients go, `ca_path` what they trust."""

    def __init__(self, emulator: Emulator, port: int = 0, host: str = "127.0.0.1") -> None:
        self.ca_path, cert, key = ensure_certificate(emulator.store.state_dir)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        handler: type[_Handler] = type("Handler", (_Handler,), {"emulator": emulator})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.base_url = f"https://{host}:{self.port}"
        handler.endpoints = Endpoints(served_base=self.base_url)
        self._thread: threading.Thread | None = None

    # shutdown() waits for the serving loop's next poll: socketserver's default 0.5 s made every stop of a
    # served emulator (one per served test) cost half a second
    POLL_SECONDS = 0.02

    def start(self) -> EmulatorServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(self.POLL_SECONDS,),
                                        name="azlake-emulator", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
