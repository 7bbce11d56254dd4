#!/bin/sh
# Registers one connector with Kafka Connect's REST API: POST the file as it is. A connector of
# that name registered before (Connect keeps it in its config topic) is left as it is.
set -eu
file="$1"
url="${CONNECT_URL:-http://connect:8083}/connectors"
code=$(curl -sS -o /tmp/register.out -w '%{http_code}' -X POST \
  -H 'Content-Type: application/json' --data @"$file" "$url")
case "$code" in
  201) echo "registered $file" ;;
  409) echo "already registered: $file" ;;
  *) echo "Kafka Connect answered $code to $file:" >&2; cat /tmp/register.out >&2; exit 1 ;;
esac
