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

step users add ops --email ops@example.com --admin
printf 'demo-password\n' | syncfleet users add ops --email ops@example.com --admin
step users add field --email field@example.com
printf 'field-password\n' | syncfleet users add field --email field@example.com

step models import samples/models.csv
syncfleet models import samples/models.csv

step import-csv samples/phones.csv --format csv '> import-result.csv'
syncfleet import-csv samples/phones.csv --format csv > import-result.csv
step "import-csv samples/phones.csv   (again: nothing new, every row exists)"
syncfleet import-csv samples/phones.csv --format csv > /dev/null
step import-csv samples/phones-excel.csv --format table
syncfleet import-csv samples/phones-excel.csv --format table
step "import-csv samples/phones-bad.csv   (the usual defects, each reported)"
syncfleet import-csv samples/phones-bad.csv --format table || echo "(exit status $?: some rows were refused)" >&2

step register --phone "+47 987 65 432" --model 02978288-537f-102b-beff-000ea60275d1 --timezone Europe/Paris --user ops
syncfleet register --phone "+47 987 65 432" --model 02978288-537f-102b-beff-000ea60275d1 --timezone Europe/Paris --user ops --format table

step "register --phone +4790066951 --model 56 --timezone 'Europe/Oslo\"' --user ops   (the seed's own typo: refused)"
syncfleet register --phone "+4790066951" --model 56 --timezone 'Europe/Oslo"' --user ops || echo "(exit status $?)" >&2

step clients list --user field --limit 5 --format table
syncfleet clients list --user field --limit 5 --format table
step clients list --limit 3 --format csv
syncfleet clients list --limit 3 --format csv
step clients list --limit 1 --format atom
syncfleet clients list --limit 1 --format atom --base-url http://api.obexcode.com/v2/services/syncml/
step "clients list | wc -l"
syncfleet clients list | wc -l

step settings set sync-url http://sync.example.net:8080/sync
syncfleet settings set sync-url http://sync.example.net:8080/sync
rm -rf sms-demo
step "provision --from import-result.csv --pin 1234 --gateway dir:sms-demo --quiet   (OMA CP settings as SMS files)"
syncfleet provision --from import-result.csv --pin 1234 --gateway dir:sms-demo --format csv > provision-result.csv
step "provision --all --pin 1234 --gateway dir:sms-demo   (again, as cron would: the phones done are skipped)"
syncfleet provision --all --pin 1234 --gateway dir:sms-demo --format csv > /dev/null
step "alert --all --user field --gateway - --datastore contacts | head -n 3   (SANs as hex)"
syncfleet alert --all --user field --gateway - --datastore contacts | head -n 3
printf '\n\033[1m$ ls sms-demo | wc -l\033[0m\n' >&2
ls sms-demo | wc -l

printf '\nThe store is %s; try: .build/debug/syncfleet --store %s clients list\n' "$SYNCFLEET_STORE" "$SYNCFLEET_STORE" >&2
