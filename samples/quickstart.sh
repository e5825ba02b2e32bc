#!/usr/bin/env bash
# The main job on the embedded store, with the files in samples/: builds syncfleet,
# makes a fresh store (./fleet-demo.sqlite), adds a user, imports the model catalogue,
# registers the seed document's phones and lists them in several formats.
set -euo pipefail
cd "$(dirname "$0")/.."

for package in libsqlite3-dev tzdata; do
  if ! dpkg -s "$package" >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$package" >/dev/null
  fi
done

swift build --product syncfleet
syncfleet() { .build/debug/syncfleet "$@"; }

export SYNCFLEET_STORE="$PWD/fleet-demo.sqlite"
rm -f "$SYNCFLEET_STORE" "$SYNCFLEET_STORE-wal" "$SYNCFLEET_STORE-shm"

step() { printf '\n\033[1m$ syncfleet %s\033[0m\n' "$*" >&2; }

step users add admin --email support@obexcode.com --admin
printf 'demo-password\n' | syncfleet users add admin --email support@obexcode.com --admin

step models import samples/models.csv
syncfleet models import samples/models.csv

step register --phone "+47 909 81 948" --model 112 --timezone Europe/Oslo
syncfleet register --phone "+47 909 81 948" --model 112 --timezone Europe/Oslo --format table
step register --phone "0047 900 66 951" --model "Nokia 5800 XpressMusic" --timezone Europe/Oslo
syncfleet register --phone "0047 900 66 951" --model "Nokia 5800 XpressMusic" --timezone Europe/Oslo --format table
step register --phone "+47 987 65 432" --model 02978288-537f-102b-beff-000ea60275d1 --timezone Europe/Paris
syncfleet register --phone "+47 987 65 432" --model 02978288-537f-102b-beff-000ea60275d1 --timezone Europe/Paris --format table

step 'register ... (again: the existing client, nothing new)'
syncfleet register --phone "+4790981948" --model 112 --timezone Europe/Oslo --format tsv

step "register --phone +4790066951 --model 56 --timezone 'Europe/Oslo\"'   (the seed's own typo: refused)"
syncfleet register --phone "+4790066951" --model 56 --timezone 'Europe/Oslo"' || echo "(exit status $?)" >&2

step clients list --format table
syncfleet clients list --format table
step clients list --format csv
syncfleet clients list --format csv
step clients list --format atom
syncfleet clients list --format atom --base-url http://api.obexcode.com/v2/services/syncml/

printf '\nThe store is %s; try: .build/debug/syncfleet --store %s clients list\n' "$SYNCFLEET_STORE" "$SYNCFLEET_STORE" >&2
