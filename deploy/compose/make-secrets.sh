#!/usr/bin/env bash
# Writes the secrets docker-compose.yml reads into deploy/compose/secrets/ (git-ignored), with
# random passwords. Existing files are kept, so it is safe to run again.
#
#   deploy/compose/make-secrets.sh [DIR]      (default deploy/compose/secrets)
#
#   postgres-password   the PostgreSQL superuser's password (compose secret)
#   <name>.env          per service in services.toml: <NAME>_DATABASE_URL with its own role and
#                       password, e.g.
#                       GEBIEDEN_DATABASE_URL=postgresql+asyncpg://gebieden:<password>@postgres:5432/gebieden
#   jwt-public.pem      the key the APIs verify bearer tokens with (compose secret): a copy of
#                       $NPLV_JWT_PUBLIC_KEY, default .local/keys/dev-public.pem, the key that
#                       `make token` signs with (made here with openssl when it does not exist)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${1:-$ROOT/deploy/compose/secrets}"
KEY="${NPLV_JWT_PUBLIC_KEY:-$ROOT/.local/keys/dev-public.pem}"

password() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }

mkdir -p "$DIR"
chmod 700 "$DIR"
umask 022   # readable inside the containers (other users); the directory itself is private

[[ -f "$DIR/postgres-password" ]] || password >"$DIR/postgres-password"

names="$(sed -n 's/^name *= *"\([a-z0-9_]*\)".*/\1/p' "$ROOT/services.toml")"
for name in $names; do
    file="$DIR/$name.env"
    [[ -f "$file" ]] && continue
    printf '%s_DATABASE_URL=postgresql+asyncpg://%s:%s@postgres:5432/%s\n' \
        "${name^^}" "$name" "$(password)" "$name" >"$file"
done

if [[ ! -f "$KEY" && "$KEY" == "$ROOT/.local/keys/dev-public.pem" ]]; then
    mkdir -p "$(dirname "$KEY")"
    private="$(dirname "$KEY")/dev-private.pem"
    (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$private" 2>/dev/null)
    openssl pkey -in "$private" -pubout -out "$KEY"
fi
cp "$KEY" "$DIR/jwt-public.pem"
echo "secrets in $DIR: $(ls "$DIR" | tr '\n' ' ')"
