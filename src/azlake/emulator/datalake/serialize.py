"""Wire formats of the storage data plane: headers, dates, Blob XML, DFS JSON, ranges and errors."""

from __future__ import annotations

import base64
import json
from email.utils import formatdate
from xml.sax.saxutils import escape

from azlake.emulator.core.errors import EmulatedError, StorageError
from azlake.emulator.core.http import Headers, Response
from azlake.emulator.datalake import leases
from azlake.emulator.datalake.errors import InvalidHeaderValue, InvalidQueryParameterValue, InvalidRange

API_VERSION = "2025-11-05"
_EPOCH_AS_FILETIME = 116444736000000000  # 1970-01-01 in 100 ns ticks since 1601-01-01


class BlobError(StorageError):
    """A Blob-endpoint error: `x-ms-error-code` plus an XML <Error> body (the DFS endpoint answers JSON)."""

    def to_response(self) -> Response:
        body = ('<?xml version="1.0" encoding="utf-8"?><Error><Code>' + escape(self.code) + "</Code><Message>"
                + escape(self.message) + "</Message></Error>").encode()
        headers = Headers(self.headers)
        headers["Content-Type"] = "application/xml"
        headers["x-ms-error-code"] = self.code
        return Response(self.status, body, headers)


class HeadError(StorageError):
    """An error answering HEAD: status and `x-ms-error-code` only; HEAD responses carry no body."""

    def to_response(self) -> Response:
        headers = Headers(self.headers)
        headers["x-ms-error-code"] = self.code
        return Response(self.status, b"", headers)


def as_dialect(err: EmulatedError, blob: bool, head: bool = False) -> EmulatedError:
    cls = HeadError if head else BlobError if blob else StorageError
    if type(err) is cls:
        return err
    return cls(err.status, err.code, err.message, headers=err.headers)


def rfc1123(ts: float) -> str:
    return formatdate(ts, usegmt=True)


def filetime(ts: float) -> str:
    return str(int(ts * 10_000_000) + _EPOCH_AS_FILETIME)


def metadata_from(headers: Headers) -> dict[str, str]:
    return {k[len("x-ms-meta-"):]: v for k, v in headers.items() if k.lower().startswith("x-ms-meta-")}


def metadata_headers(metadata: dict[str, str]) -> dict[str, str]:
    return {f"x-ms-meta-{k}": v for k, v in metadata.items()}


def parse_properties(value: str | None) -> dict[str, str]:
    """DFS `x-ms-properties`: "n1=base64(v1),n2=base64(v2)"."""
    out: dict[str, str] = {}
    for item in (value or "").split(","):
        if "=" in item:
            name, _, encoded = item.partition("=")
            out[name.strip()] = base64.b64decode(encoded.strip()).decode("utf-8")
    return out


def format_properties(metadata: dict[str, str]) -> str:
    return ",".join(f"{k}={base64.b64encode(v.encode()).decode()}" for k, v in metadata.items())


def http_headers_from(headers: Headers, prefix: str) -> dict[str, str]:
    """Content settings sent as `x-ms-content-type` (DFS) or `x-ms-blob-content-type` (Blob). The content MD5
    among them is the file's stored property, not checked against the bytes (the Blob and Data Lake specs:
    "this hash is not validated"); Get Properties returns it."""
    names = ("cache-control", "content-type", "content-encoding", "content-language", "content-disposition",
             "content-md5")
    return {n: headers[prefix + n] for n in names if headers.get(prefix + n)}


def fs_headers(doc: dict, hns: bool, now: float) -> dict[str, str]:
    headers = {"ETag": doc["etag"], "Last-Modified": rfc1123(doc["modified"]), **leases.headers(doc, now),
               "x-ms-has-immutability-policy": "false", "x-ms-has-legal-hold": "false",
               "x-ms-default-encryption-scope": "$account-encryption-key",
               "x-ms-deny-encryption-scope-override": "false", "x-ms-namespace-enabled": str(hns).lower()}
    if doc.get("public_access"):
        headers["x-ms-blob-public-access"] = doc["public_access"]
    headers.update(metadata_headers(doc["metadata"]))
    return headers


def path_headers(doc: dict, now: float) -> dict[str, str]:
    """Properties of a file or directory as both the Blob HEAD and the DFS HEAD answer them."""
    metadata = dict(doc["metadata"])
    if doc["kind"] == "directory":
        metadata["hdi_isfolder"] = "true"  # how the Blob API shows an HNS directory
    h = doc["headers"]
    headers = {"ETag": doc["etag"], "Last-Modified": rfc1123(doc["modified"]),
               "x-ms-creation-time": rfc1123(doc["created"]), "Content-Length": str(doc["length"]),
               "Content-Type": h.get("content-type") or "application/octet-stream", "Accept-Ranges": "bytes",
               "x-ms-blob-type": "BlockBlob", **leases.headers(doc, now),
               "x-ms-server-encrypted": "true", "x-ms-access-tier": "Hot", "x-ms-access-tier-inferred": "true",
               "x-ms-resource-type": doc["kind"], "x-ms-owner": doc["owner"], "x-ms-group": doc["group"],
               "x-ms-permissions": doc["permissions"], "x-ms-properties": format_properties(doc["metadata"])}
    for name in ("cache-control", "content-encoding", "content-language", "content-disposition"):
        if h.get(name):
            headers[name.title()] = h[name]
    if h.get("content-md5"):
        headers["Content-MD5"] = h["content-md5"]
    copy = doc.get("copy")
    if copy:
        headers.update({"x-ms-copy-id": copy["id"], "x-ms-copy-status": copy["status"],
                        "x-ms-copy-source": copy["source"], "x-ms-copy-progress": copy["progress"],
                        "x-ms-copy-completion-time": rfc1123(copy["completed"])})
    headers.update(metadata_headers(metadata))
    return headers


def acl_of(doc: dict) -> str:
    if doc.get("acl"):
        return doc["acl"]
    p = doc["permissions"]
    return f"user::{p[0:3]},group::{p[3:6]},other::{p[6:9]}"


def path_json(doc: dict) -> dict:
    item = {"name": doc["name"], "contentLength": str(doc["length"]), "lastModified": rfc1123(doc["modified"]),
            "etag": doc["etag"], "owner": doc["owner"], "group": doc["group"], "permissions": doc["permissions"],
            "creationTime": filetime(doc["created"])}
    if doc["kind"] == "directory":
        item["isDirectory"] = "true"
    return item


def encode_token(last_name: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": last_name}).encode()).decode()


def decode_token(token: str | None) -> str | None:
    if not token:
        return None
    try:
        return json.loads(base64.urlsafe_b64decode(token.encode()))["after"]
    except (ValueError, KeyError, TypeError):
        raise InvalidQueryParameterValue(
            "Value for one of the query parameters specified in the request URI is invalid: "
            "continuation/marker.") from None


def parse_range(value: str | None, length: int) -> tuple[int, int] | None:
    """(start, end exclusive) of a `bytes=s-e` range header, or None for the whole file; 416 if unsatisfiable."""
    if not value:
        return None
    spec = value.strip().lower()
    if not spec.startswith("bytes=") or "-" not in spec:
        return None
    first, _, last = spec[len("bytes="):].partition("-")
    if not first.isdigit() or not (last.isdigit() or last == "") or (last and int(last) < int(first)):
        raise InvalidHeaderValue("The value for one of the HTTP headers is not in the correct "
                                 f"format: range {value!r}.")
    start = int(first)
    if start >= length:
        raise InvalidRange("The range specified is invalid for the current size of the "
                           "resource.", headers={"Content-Range": f"bytes */{length}"})
    end = min(int(last) + 1, length) if last else length
    return start, end


def container_xml(doc: dict, with_metadata: bool, now: float, remaining_days: float | None = None) -> str:
    """One <Container> of List Containers; `remaining_days` marks a soft-deleted one."""
    deleted = remaining_days is not None
    props = (f"<Last-Modified>{rfc1123(doc['modified'])}</Last-Modified><Etag>{escape(doc['etag'])}</Etag>"
             + leases.xml(doc, now)
             + (f"<PublicAccess>{doc['public_access']}</PublicAccess>" if doc.get("public_access") else "")
             + "<DefaultEncryptionScope>$account-encryption-key</DefaultEncryptionScope>"
             "<DenyEncryptionScopeOverride>false</DenyEncryptionScopeOverride>"
             "<HasImmutabilityPolicy>false</HasImmutabilityPolicy><HasLegalHold>false</HasLegalHold>"
             "<IsImmutableStorageWithVersioningEnabled>false</IsImmutableStorageWithVersioningEnabled>"
             + (f"<DeletedTime>{rfc1123(doc['deleted'])}</DeletedTime>"
                f"<RemainingRetentionDays>{max(1, int(remaining_days + 0.999))}</RemainingRetentionDays>"
                if remaining_days is not None else ""))
    meta = ("<Metadata>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in doc["metadata"].items()) + "</Metadata>"
            if with_metadata else "")
    version = f"<Deleted>true</Deleted><Version>{doc['version']}</Version>" if deleted else ""
    return (f"<Container><Name>{escape(doc['name'])}</Name>{version}<Properties>{props}</Properties>{meta}"
            "</Container>")


def blob_xml(doc: dict, with_metadata: bool, now: float) -> str:
    h = doc["headers"]
    props = (f"<Creation-Time>{rfc1123(doc['created'])}</Creation-Time>"
             f"<Last-Modified>{rfc1123(doc['modified'])}</Last-Modified><Etag>{escape(doc['etag'])}</Etag>"
             f"<ResourceType>{doc['kind']}</ResourceType>"
             f"<Content-Length>{doc['length']}</Content-Length>"
             f"<Content-Type>{escape(h.get('content-type') or 'application/octet-stream')}</Content-Type>"
             "<BlobType>BlockBlob</BlobType><AccessTier>Hot</AccessTier><AccessTierInferred>true</AccessTierInferred>"
             + leases.xml(doc, now) + "<ServerEncrypted>true</ServerEncrypted>")
    metadata = dict(doc["metadata"], **({"hdi_isfolder": "true"} if doc["kind"] == "directory" else {}))
    meta = ("<Metadata>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in metadata.items()) + "</Metadata>"
            if with_metadata else "")
    return f"<Blob><Name>{escape(doc['name'])}</Name><Properties>{props}</Properties>{meta}</Blob>"


def xml_response(body: str) -> Response:
    data = ('<?xml version="1.0" encoding="utf-8"?>' + body).encode()
    return Response(200, data, Headers({"Content-Type": "application/xml"}))
