"""Standard Webhooks, as its reference library (standardwebhooks on PyPI) sees our requests.

  webhook.py sign SECRET ID TIMESTAMP     body on stdin; prints the v1 signature
  webhook.py verify SECRET                {"body": ..., "headers": {...}} on stdin; prints "verified"
                                          or fails (exit 1) saying why
"""
import json
import sys
from datetime import datetime, timezone

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


def main() -> None:
    command, secret = sys.argv[1], sys.argv[2]
    hook = Webhook(secret)
    if command == "sign":
        msg_id, timestamp = sys.argv[3], int(sys.argv[4])
        body = sys.stdin.buffer.read().decode("utf-8")
        print(hook.sign(msg_id, datetime.fromtimestamp(timestamp, tz=timezone.utc), body))
    elif command == "verify":
        request = json.load(sys.stdin)
        try:
            hook.verify(request["body"].encode("utf-8"), request["headers"], json_parse=False)
        except WebhookVerificationError as error:
            print(f"not verified: {error}", file=sys.stderr)
            sys.exit(1)
        print("verified")
    else:
        sys.exit(f"unknown command {command}")


main()
