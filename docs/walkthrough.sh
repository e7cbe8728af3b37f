#!/usr/bin/env bash
# The README's walkthrough: the HTTP API from curl, against a running server (by default
# http://localhost:8080; set VXDATA_URL for another), as its admin: the token its first start wrote
# to vxdata-data/admin-token (set VXDATA_TOKEN for another). WalkthroughIT runs this file against
# the built server jar, and checks that the README shows it as it is.
set -euo pipefail
VX=${VXDATA_URL:-http://localhost:8080}
TOKEN=${VXDATA_TOKEN:-$(cat vxdata-data/admin-token)}   # written by the server's first start
AUTH="Authorization: Bearer $TOKEN"
post() { curl -sS --fail-with-body "$VX$1" -H "$AUTH" -H 'Content-Type: application/json' -d "$2"; echo; }

# Create a datasource and an artefact under it: one batch, all or nothing, one transaction time.
CREATED=$(post /resources/create '{"resources": [
  {"identifier": "clinic-a", "payload_type": "datasource", "name": "Clinic A"},
  {"identifier": "scan-1", "payload_type": "artefact", "parent_identifier": "clinic-a", "role": "image"}]}')
echo "$CREATED"   # {"created":2,"committed_at":"2026-11-30T10:15:30.123456Z"}
T1=$(echo "$CREATED" | sed 's/.*"committed_at":"\([^"]*\)".*/\1/')

# Read them back; the VxData-As-Of header says which time the read was made at.
curl -sS --fail-with-body -i "$VX/resources/read" -H "$AUTH" -H 'Content-Type: application/json' \
  -d '{"identifiers": ["clinic-a", "scan-1"]}'; echo

# Change the artefact, then read it as of the first commit: nothing is overwritten.
post /resources/update '{"updates": {"scan-1": {"role": "mask"}}}'                      # {"updated":1,...}
post /resources/read "{\"identifiers\": [\"scan-1\"], \"as_of\": \"$T1\"}"              # "role":"image","version":1

# A GET read at a past as_of is final: an ETag and Cache-Control immutable (private: it needs a token).
curl -sS --fail-with-body -i "$VX/parents/scan-1?as_of=$T1" -H "$AUTH"; echo

# Query: the artefacts under the clinic whose role is mask, one page.
post /query '{"payload_type": "artefact", "parent_identifier": "clinic-a",
  "filters": {"field": "role", "op": "=", "value": "mask"}, "limit": 10}'
# The same query as a URL (GET forms): options as parameters, filters as field=op.value; and one
# resource by its URL.
curl -sS --fail-with-body "$VX/query?payload_type=artefact&parent_identifier=clinic-a&role=eq.mask&limit=10" \
  -H "$AUTH"; echo                                # {"results":[...],"next_cursor":null,"limit":10}
curl -sS --fail-with-body "$VX/resources/scan-1?exclude_children=true" -H "$AUTH"; echo   # {"identifier":"scan-1",...}

# Put the artefact's file in object storage through a presigned URL, list it, fetch it back.
UPLOAD=$(post /s3/presign '{"direction": "upload", "group": "clinic-a", "filename": "scan.txt"}')
echo "voxels" > scan.txt
curl -sS --fail-with-body -T scan.txt "$(echo "$UPLOAD" | sed 's/.*"url":"\([^"]*\)".*/\1/')"
curl -sS --fail-with-body "$VX/s3/list?prefix=s3://vxdata/clinic-a/" -H "$AUTH"; echo
DOWNLOAD=$(post /s3/presign "{\"direction\": \"download\", \"path\": $(echo "$UPLOAD" | sed 's/.*"path":\("[^"]*"\).*/\1/')}")
curl -sS --fail-with-body "$(echo "$DOWNLOAD" | sed 's/.*"url":"\([^"]*\)".*/\1/')"   # voxels

# Every artefact under the clinic as one Parquet file.
curl -sS --fail-with-body "$VX/query/parquet" -H "$AUTH" -H 'Content-Type: application/json' \
  -d '{"payload_type": "artefact", "parent_identifier": "clinic-a"}' -o artefacts.parquet
ls -l artefacts.parquet

# Who sees what: a principal, a grant on the clinic, and a token for it (shown this once only).
post /principals '{"id": "alice", "name": "Alice", "clearance": "internal"}'
curl -sS --fail-with-body -X PUT "$VX/datasources/clinic-a/grants" -H "$AUTH" -H 'Content-Type: application/json' \
  -d '{"principal_id": "alice", "role": "viewer"}'; echo
ALICE=$(post /principals/alice/tokens '{}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
curl -sS --fail-with-body "$VX/whoami" -H "Authorization: Bearer $ALICE"; echo      # {"id":"alice",...}
# A viewer reads but does not write (403); without a token, nothing but /health and /docs (401).
curl -sS -o /dev/null -w '%{http_code}\n' "$VX/resources/update" -H "Authorization: Bearer $ALICE" \
  -H 'Content-Type: application/json' -d '{"updates": {"scan-1": {"role": "image"}}}'   # 403
curl -sS -o /dev/null -w '%{http_code}\n' "$VX/query/count" -d '{"payload_type": "artefact"}'   # 401

# Export jobs: 202 and a job to poll (HEAD answers 202 while it runs, 200 once it has ended); the
# finished job's manifest names its files, with presigned URLs, rows, bytes and SHA-256.
export_job() {
  local id; id=$(post /exports "$1" | sed 's/.*"id":"\([^"]*\)".*/\1/')
  for _ in $(seq 150); do
    [ "$(curl -sS -o /dev/null -w '%{http_code}' -I "$VX/exports/$id" -H "$AUTH")" = 200 ] && break; sleep 0.2
  done
  curl -sS --fail-with-body "$VX/exports/$id" -H "$AUTH"
}
url_of() { sed "s/.*\"$1\":\[{[^}]*\"url\":\"\([^\"]*\)\".*/\1/"; }
FULL=$(export_job '{"query": {"payload_type": "artefact", "parent_identifier": "clinic-a"}, "format": "ndjson"}')
echo "$FULL"                                     # {"id":"ex-...","status":"finished",...,"manifest":{...}}
curl -sS --fail-with-body "$(echo "$FULL" | url_of output)"          # {"identifier":"scan-1",...}
# Later: what changed since that export's time, and what was deleted since.
SINCE=$(echo "$FULL" | sed 's/.*"transaction_time":"\([^"]*\)".*/\1/')
post /resources/delete '{"identifiers": ["scan-1"]}'
CHANGES=$(export_job "{\"query\": {\"payload_type\": \"artefact\", \"parent_identifier\": \"clinic-a\"},
  \"format\": \"ndjson\", \"since\": \"$SINCE\"}")
curl -sS --fail-with-body "$(echo "$CHANGES" | url_of deleted)"      # {"identifier":"scan-1",...,"updated_at":...}

# Sync a mirror: a full export of a release, then the change feed from the export's time. A change
# made after the release is not in the export, whenever it runs; the feed brings it.
post /releases '{"name": "mirror-base", "description": "Where the mirror starts"}'  # {"name":"mirror-base",...}
post /resources/create '{"resources": [
  {"identifier": "scan-2", "payload_type": "artefact", "parent_identifier": "clinic-a", "role": "image"}]}'
BASE=$(export_job '{"query": [{"payload_type": "datasource"}, {"payload_type": "artefact"}],
  "format": "ndjson", "release": "mirror-base"}')
curl -sS --fail-with-body "$(echo "$BASE" | url_of output)"           # {"identifier":"clinic-a",...}
SINCE=$(echo "$BASE" | sed 's/.*"transaction_time":"\([^"]*\)".*/\1/')
curl -sS --fail-with-body "$VX/changes?since=$SINCE" -H "$AUTH"; echo   # "identifier":"scan-2",...,"operation":"created"

# The API, for people: open $VX/docs in a browser ($VX/ leads there).
curl -sS --fail-with-body -o /dev/null -w '%{http_code} %{content_type}\n' "$VX/docs"
