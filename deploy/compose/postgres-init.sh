#!/usr/bin/env bash
# Runs once, when the postgres container initialises an empty data volume: one database and one
# login role per service (NPLV_DATABASES), each role owning only its own database, so no service
# can reach another's. Role and password come from the service's own <NAME>_DATABASE_URL
# (deploy/compose/secrets/<name>.env), so they are written down in one place.
set -euo pipefail

for name in ${NPLV_DATABASES:?}; do
    var="${name^^}_DATABASE_URL"
    url="${!var:?$var ontbreekt (deploy/compose/secrets/$name.env)}"
    userinfo="${url#*://}"
    userinfo="${userinfo%%@*}"
    role="${userinfo%%:*}"
    password="${userinfo#*:}"
    echo "nplv: database $name, rol $role"
    psql -v ON_ERROR_STOP=1 --no-password --username "${POSTGRES_USER:-postgres}" --dbname postgres \
        -v role="$role" -v password="$password" -v db="$name" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"role";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
SQL
done
