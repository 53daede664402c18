#!/usr/bin/env bash
# Rebuilds test/fixtures/rabbitmq-3.10-definitions.json from a real RabbitMQ with
# the management plugin (rabbitmq-plugins enable rabbitmq_management), then removes
# what it created. Objects other runs left in '/' are filtered out of the export;
# everything else is RabbitMQ's export as it is.
# Usage: scripts/make-definitions-fixture.sh [http://guest:guest@127.0.0.1:15672]
set -euo pipefail
API="${1:-http://guest:guest@127.0.0.1:15672}/api"
OUT="$(dirname "$0")/../test/fixtures/rabbitmq-3.10-definitions.json"
VH=fixture-vhost

call() { # method path [json]
  curl -sS --fail-with-body -X "$1" -H 'content-type: application/json' "$API$2" ${3:+-d "$3"} >/dev/null
}

# A hash RabbitMQ did not compute, to check that hashing_algorithm is honoured on import.
SHA512_HASH=$(/usr/bin/python3 -c '
import base64, hashlib
salt = bytes.fromhex("cafe0001")
print(base64.b64encode(salt + hashlib.sha512(salt + "sha512-secret".encode()).digest()).decode())')

call PUT "/vhosts/$VH" '{"description": "made by scripts/make-definitions-fixture.sh", "tags": "fixture,test"}'
call PUT /users/fixture-admin '{"password": "admin-secret", "tags": "administrator"}'
call PUT /users/fixture-monitor '{"password": "monitor-secret", "tags": "monitoring"}'
call PUT /users/fixture-policy '{"password": "policy-secret", "tags": "policymaker"}'
call PUT /users/fixture-mgmt '{"password": "pässwörd ünicode", "tags": "management"}'
call PUT /users/fixture-app '{"password": "app-secret", "tags": ""}'
call PUT /users/fixture-sha512 "{\"password_hash\": \"$SHA512_HASH\", \"hashing_algorithm\": \"rabbit_password_hashing_sha512\", \"tags\": \"management,custom-tag\"}"

call PUT "/permissions/$VH/fixture-admin" '{"configure": ".*", "write": ".*", "read": ".*"}'
call PUT /permissions/%2F/fixture-admin '{"configure": ".*", "write": ".*", "read": ".*"}'
call PUT "/permissions/$VH/fixture-app" '{"configure": "^app\\.", "write": "^app\\.|^amq\\.topic$", "read": "^app\\."}'
call PUT "/permissions/$VH/fixture-mgmt" '{"configure": "", "write": "^app\\.", "read": ".*"}'
call PUT "/permissions/$VH/fixture-monitor" '{"configure": "", "write": "", "read": ".*"}'
call PUT "/permissions/$VH/fixture-policy" '{"configure": ".*", "write": ".*", "read": ".*"}'
call PUT "/permissions/$VH/fixture-sha512" '{"configure": "", "write": "", "read": ".*"}'
call PUT "/topic-permissions/$VH/fixture-app" '{"exchange": "amq.topic", "write": "^{username}\\.", "read": ".*"}'
call PUT "/topic-permissions/$VH/fixture-app" '{"exchange": "app.events", "write": "^orders\\.", "read": "^orders\\."}'

call PUT "/vhost-limits/$VH/max-queues" '{"value": 100}'
call PUT "/vhost-limits/$VH/max-connections" '{"value": 50}'

call PUT "/exchanges/$VH/app.events" '{"type": "topic", "durable": true}'
call PUT "/exchanges/$VH/app.audit" '{"type": "fanout", "durable": true, "arguments": {"alternate-exchange": "app.unrouted"}}'
call PUT "/exchanges/$VH/app.unrouted" '{"type": "fanout", "durable": true, "internal": true}'
call PUT "/queues/$VH/app.orders" '{"durable": true, "arguments": {"x-max-priority": 10}}'
call PUT "/queues/$VH/app.audit-log" '{"durable": true, "auto_delete": false}'
call POST "/bindings/$VH/e/app.events/q/app.orders" '{"routing_key": "orders.#"}'
call POST "/bindings/$VH/e/app.events/e/app.audit" '{"routing_key": "#"}'
call POST "/bindings/$VH/e/app.audit/q/app.audit-log" '{"routing_key": ""}'
call PUT /queues/%2F/fixture.root-queue '{"durable": true}'

curl -sS --fail "$API/definitions" | node -e '
  const d = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const mine = (item) => item.vhost !== "/" || (item.name ?? item.source).startsWith("fixture.");
  for (const key of ["queues", "exchanges", "bindings"]) d[key] = d[key].filter(mine);
  process.stdout.write(JSON.stringify(d, null, 2) + "\n");' > "$OUT"

call DELETE "/vhosts/$VH"
call DELETE /queues/%2F/fixture.root-queue
call POST /users/bulk-delete '{"users": ["fixture-admin", "fixture-monitor", "fixture-policy", "fixture-mgmt", "fixture-app", "fixture-sha512"]}'
echo "wrote $OUT"
