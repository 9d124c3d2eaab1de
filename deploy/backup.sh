#!/usr/bin/env bash
# Back up the PostgreSQL database (pg_dump custom format) and the media files (tar.gz) into a new
# timestamped folder under $BACKUP_DIR. Usage: make backup [BACKUP_DIR=backups]
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL must point at the PostgreSQL database to back up}"
case "$DATABASE_URL" in postgres://*|postgresql://*) ;; *) echo "backup: only PostgreSQL is supported" >&2; exit 2;; esac
MEDIA_ROOT=${MEDIA_ROOT:-media}
dest="${BACKUP_DIR:-backups}/digest-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$dest"
pg_dump --format=custom --no-owner --no-acl --dbname="$DATABASE_URL" --file="$dest/db.dump"
if [ -d "$MEDIA_ROOT" ]; then
  tar -czf "$dest/media.tar.gz" -C "$MEDIA_ROOT" .
else
  tar -czf "$dest/media.tar.gz" --files-from /dev/null
fi
(cd "$dest" && sha256sum db.dump media.tar.gz > SHA256SUMS)
echo "$dest"
