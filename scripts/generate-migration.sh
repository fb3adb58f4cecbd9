#!/usr/bin/env bash
# Generates a migration for MariaDB and one for SQLite from the difference between entities and the migrated schema.
# Usage: npm run migration:generate -- Name
set -euo pipefail
name=${1:?usage: npm run migration:generate -- Name}
cd "$(dirname "$0")/.."
npx tsc -p .
mysql -uroot -h127.0.0.1 -e 'DROP DATABASE IF EXISTS servicedesk_migrations; CREATE DATABASE servicedesk_migrations'
rm -f data/migrations-scratch.sqlite*
mkdir -p data
for kind in mysql sqlite; do
  npx typeorm migration:run -d dist/server/db/cli/$kind.js
  npx typeorm migration:generate -d dist/server/db/cli/$kind.js --outputJs=false "server/db/migrations/$kind/$name" || true
done
npx tsc -p .
