#!/usr/bin/env bash
# Restore a backup made by backup.sh into an EMPTY PostgreSQL database (create it first:
# createdb digest_restored) and the media folder. Usage: make restore BACKUP=backups/digest-…
set -euo pipefail
: "${BACKUP:?BACKUP must name a folder made by make backup}"
: "${DATABASE_URL:?DATABASE_URL must point at the empty database to restore into}"
MEDIA_ROOT=${MEDIA_ROOT:-media}
(cd "$BACKUP" && sha256sum --check --quiet SHA256SUMS)
tables=$(psql "$DATABASE_URL" -tAc "select count(*) from pg_tables where schemaname = 'public'")
if [ "$tables" != "0" ]; then
  echo "restore: the target database is not empty ($tables tables); restore needs an empty one" >&2
  exit 2
fi
pg_restore --no-owner --no-acl --exit-on-error --dbname="$DATABASE_URL" "$BACKUP/db.dump"
mkdir -p "$MEDIA_ROOT"
tar -xzf "$BACKUP/media.tar.gz" -C "$MEDIA_ROOT"
echo "restored $BACKUP into the database and $MEDIA_ROOT"
