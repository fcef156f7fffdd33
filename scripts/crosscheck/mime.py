"""Reads messages with Python's own email package, to check DevWorkflow's MIME parser against.

  mime.py FILE...    prints a JSON list, one object per message: subject, from ([name, address]
                     pairs), to and cc (addresses), content_type (the message's own), message_id,
                     in_reply_to, references, body_type, body (the text of
                     get_body(('plain', 'html'))), attachments ([filename, media type, sha256])

Attachments are chosen by the rule MailMessage documents: every leaf part but the body, leaving
out text/plain and text/html parts that have no file name and are not attachments, and the
signatures of signed mail. A file name written as RFC 2047 encoded-words (as Outlook and Gmail
write them) is decoded with the email package's own decoder.
"""
import hashlib
import json
import sys
from email import policy
from email.header import decode_header, make_header
from email.parser import BytesParser

SIGNATURES = {"application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature"}


def utf8(text):
    """A header's raw UTF-8 (RFC 6532), which the parser keeps as surrogate escapes, as text."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8") if text is not None else None


def ids(value):
    return [part.strip("<>") for part in str(value or "").split() if part.strip("<>")]


def read(path):
    with open(path, "rb") as file:
        message = BytesParser(policy=policy.default).parse(file)
    body = message.get_body(preferencelist=("plain", "html"))
    attachments = []
    for part in message.walk():
        if part.is_multipart() or part is body:
            continue
        media_type = part.get_content_type()
        name = part.get_filename()
        if name is not None and "=?" in name:
            name = str(make_header(decode_header(name)))
        if part.get_content_disposition() != "attachment" and name is None and media_type in ("text/plain", "text/html"):
            continue
        if media_type in SIGNATURES:
            continue
        data = part.get_payload(decode=True) or b""
        attachments.append([name, media_type, hashlib.sha256(data).hexdigest()])
    sender = message["from"]

    def addresses(field):
        value = message[field]
        return [address.addr_spec for address in value.addresses] if value else []
    return {
        "subject": utf8(str(message["subject"] or "")),
        "from": [[utf8(address.display_name) or None, address.addr_spec] for address in (sender.addresses if sender else [])],
        "to": addresses("to"),
        "cc": addresses("cc"),
        "content_type": message.get_content_type(),
        "message_id": (ids(message["message-id"]) or [None])[0],
        "in_reply_to": ids(message["in-reply-to"]),
        "references": ids(message["references"]),
        "body_type": body.get_content_type() if body is not None else None,
        "body": body.get_content().replace("\r\n", "\n") if body is not None else "",
        "attachments": attachments,
    }


print(json.dumps([read(path) for path in sys.argv[1:]], ensure_ascii=True))
