"""Submits an assessment with a lead through the generated client; prints what came back."""
import json
import sys

from aims_client import Client
from aims_client.api.assessments import create
from aims_client.models import Created, QuickSubmission

base_url, body = sys.argv[1], json.loads(sys.argv[2])
reply = create.sync_detailed(client=Client(base_url=base_url), body=QuickSubmission.from_dict(body))
created = reply.parsed
assert isinstance(created, Created), f"{reply.status_code}: {reply.content!r}"
print(json.dumps({"status": int(reply.status_code), "id": created.id,
                  "band": created.summary.band.value, "report": created.links.report}))
