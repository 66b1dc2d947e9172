"""Development tokens (`make token`, or `python -m nplv_shared.tokens --organisatie BZK
--scope nplv:gebieden:beheer`).

Creates an RSA key pair under `.local/keys/` on first use; the services are started with the
public key (`*_JWT_PUBLIC_KEY_FILE`). Production uses the real authorisation server's key/JWKS.
"""

import argparse
import time
import uuid
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

DEFAULT_KEY_DIR = Path(".local/keys")
ISSUER = "urn:nld:nplv:dev-token-issuer"
AUDIENCE = "nplv"


def ensure_keys(key_dir: Path = DEFAULT_KEY_DIR) -> tuple[Path, Path]:
    private_path, public_path = key_dir / "dev-private.pem", key_dir / "dev-public.pem"
    if not private_path.exists():
        key_dir.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        private_path.write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
        private_path.chmod(0o600)
        public_path.write_bytes(key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return private_path, public_path


def mint(organisatie: str, scopes: list[str], *, private_key: str, client_id: str | None = None,
         ttl_s: int = 3600, issuer: str = ISSUER, audience: str = AUDIENCE,
         oin: str | None = None) -> str:
    now = int(time.time())
    claims = {
        "iss": issuer, "aud": audience, "sub": client_id or f"dev-{organisatie.lower()}",
        "iat": now, "nbf": now, "exp": now + ttl_s, "jti": str(uuid.uuid4()),
        "organisatie": organisatie, "scope": " ".join(scopes),
    }
    if oin is not None:
        claims["oin"] = oin
    return jwt.encode(claims, private_key, algorithm="RS256")


def main() -> None:
    parser = argparse.ArgumentParser(description="Maak een ontwikkeltoken voor NPLV")
    parser.add_argument("--organisatie", required=True, help="bv. BZK, SZW of GM0599")
    parser.add_argument("--scope", action="append", default=[],
                        help="bv. nplv:interventies:schrijven (herhaalbaar)")
    parser.add_argument("--ttl", type=int, default=3600)
    parser.add_argument("--oin", help="OIN van de organisatie (20 cijfers), optioneel")
    parser.add_argument("--keys", type=Path, default=DEFAULT_KEY_DIR)
    args = parser.parse_args()
    private_path, _ = ensure_keys(args.keys)
    scopes = [s for value in args.scope for s in value.split()]
    print(mint(args.organisatie, scopes, private_key=private_path.read_text(), ttl_s=args.ttl,
               oin=args.oin))


if __name__ == "__main__":
    main()
