"""nplv_shared.auth.TokenVerifier: RS256 bearer tokens → Principal, or 401."""

import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from nplv_shared.auth import Principal, TokenVerifier
from nplv_shared.problems import Unauthorized
from nplv_shared.settings import ServiceSettings
from nplv_shared.tokens import AUDIENCE, ISSUER, ensure_keys, mint


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    private_path, public_path = ensure_keys(tmp_path_factory.mktemp("keys"))
    return private_path.read_text(), public_path


@pytest.fixture(scope="module")
def other_private_key(tmp_path_factory: pytest.TempPathFactory) -> str:
    private_path, _ = ensure_keys(tmp_path_factory.mktemp("other-keys"))
    return private_path.read_text()


@pytest.fixture
def private_key(keys: tuple[str, Path]) -> str:
    return keys[0]


def settings(**overrides: Any) -> ServiceSettings:
    """Settings independent of the environment: no key unless one is given."""
    values: dict[str, Any] = {"jwt_public_key": None, "jwt_public_key_file": None,
                              "jwt_jwks_file": None, "jwt_issuer": ISSUER,
                              "jwt_audience": AUDIENCE, "jwt_algorithms": ["RS256", "ES256"]}
    return ServiceSettings(**{**values, **overrides})


@pytest.fixture
def verifier(keys: tuple[str, Path]) -> TokenVerifier:
    return TokenVerifier(settings(jwt_public_key_file=str(keys[1])))


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {"iss": ISSUER, "aud": AUDIENCE, "sub": "dev-bzk", "iat": now, "exp": now + 600,
            "organisatie": "BZK", "scope": "nplv:gebieden:beheer"}
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not ...}


class TestTokenVerifier:
    def test_valid_token_gives_principal_with_organisatie_and_scopes(
            self, verifier: TokenVerifier, private_key: str) -> None:
        token = mint("SZW", ["nplv:interventies:schrijven", "nplv:gebieden:lezen"],
                     private_key=private_key, client_id="szw-systeem")
        principal = verifier.verify(token)
        assert principal == Principal(
            client_id="szw-systeem", organisatie="SZW",
            scopes=frozenset({"nplv:interventies:schrijven", "nplv:gebieden:lezen"}))
        assert principal.is_ministerie
        assert not principal.is_gemeente

    def test_gemeente_token_gives_a_gemeente_principal(
            self, verifier: TokenVerifier, private_key: str) -> None:
        principal = verifier.verify(mint("GM0599", [], private_key=private_key))
        assert principal.organisatie == "GM0599"
        assert principal.is_gemeente
        assert principal.scopes == frozenset()

    def test_expired_token_is_unauthorized(
            self, verifier: TokenVerifier, private_key: str) -> None:
        token = mint("BZK", [], private_key=private_key, ttl_s=-120)
        with pytest.raises(Unauthorized, match="verlopen"):
            verifier.verify(token)

    def test_token_expired_within_the_leeway_is_still_accepted(
            self, verifier: TokenVerifier, private_key: str) -> None:
        token = mint("BZK", [], private_key=private_key, ttl_s=-5)
        assert verifier.verify(token).organisatie == "BZK"

    def test_wrong_audience_is_unauthorized(
            self, verifier: TokenVerifier, private_key: str) -> None:
        token = mint("BZK", [], private_key=private_key, audience="andere-api")
        with pytest.raises(Unauthorized, match=r"aud\)"):
            verifier.verify(token)

    def test_wrong_issuer_is_unauthorized(
            self, verifier: TokenVerifier, private_key: str) -> None:
        token = mint("BZK", [], private_key=private_key, issuer="urn:nld:nep:issuer")
        with pytest.raises(Unauthorized, match=r"uitgever"):
            verifier.verify(token)

    def test_token_signed_with_another_key_is_unauthorized(
            self, verifier: TokenVerifier, other_private_key: str) -> None:
        with pytest.raises(Unauthorized, match="handtekening"):
            verifier.verify(mint("BZK", [], private_key=other_private_key))

    def test_tampered_payload_is_unauthorized(
            self, verifier: TokenVerifier, private_key: str) -> None:
        header, _, signature = mint("GM0599", [], private_key=private_key).split(".")
        forged = jwt.utils.base64url_encode(json.dumps(claims()).encode()).decode()
        with pytest.raises(Unauthorized):
            verifier.verify(f"{header}.{forged}.{signature}")

    def test_unsigned_token_is_unauthorized(self, verifier: TokenVerifier) -> None:
        token = jwt.encode(claims(), key=None, algorithm="none")
        with pytest.raises(Unauthorized):
            verifier.verify(token)

    def test_hs256_token_with_the_public_key_as_secret_is_unauthorized(
            self, verifier: TokenVerifier, keys: tuple[str, Path]) -> None:
        public_pem = keys[1].read_bytes()
        header = jwt.utils.base64url_encode(
            json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        payload = jwt.utils.base64url_encode(json.dumps(claims()).encode())
        signature = jwt.utils.base64url_encode(
            hmac.new(public_pem, header + b"." + payload, hashlib.sha256).digest())
        with pytest.raises(Unauthorized):
            verifier.verify(b".".join([header, payload, signature]).decode())

    @pytest.mark.parametrize("missing", ["exp", "iat", "sub", "iss", "aud"])
    def test_token_without_a_required_claim_is_unauthorized(
            self, verifier: TokenVerifier, private_key: str, missing: str) -> None:
        token = jwt.encode(claims(**{missing: ...}), private_key, algorithm="RS256")
        with pytest.raises(Unauthorized):
            verifier.verify(token)

    def test_token_without_organisatie_is_unauthorized(
            self, verifier: TokenVerifier, private_key: str) -> None:
        token = jwt.encode(claims(organisatie=...), private_key, algorithm="RS256")
        with pytest.raises(Unauthorized, match="organisatie"):
            verifier.verify(token)

    @pytest.mark.parametrize("organisatie", ["ACME", "bzk", "GM599", "GM05990", "", 599, None,
                                             ["BZK"]])
    def test_token_with_invalid_organisatie_is_unauthorized(
            self, verifier: TokenVerifier, private_key: str, organisatie: Any) -> None:
        token = jwt.encode(claims(organisatie=organisatie), private_key, algorithm="RS256")
        with pytest.raises(Unauthorized, match="organisatie"):
            verifier.verify(token)

    def test_unauthorized_is_a_401_with_www_authenticate(
            self, verifier: TokenVerifier) -> None:
        with pytest.raises(Unauthorized) as info:
            verifier.verify("geen.jwt.token")
        assert info.value.status == 401
        assert info.value.headers == {"WWW-Authenticate": 'Bearer realm="nplv"'}

    def test_verifier_without_keys_refuses_every_token(self, private_key: str) -> None:
        verifier = TokenVerifier(settings())
        with pytest.raises(Unauthorized, match="geen sleutel"):
            verifier.verify(mint("BZK", [], private_key=private_key))

    def test_inline_public_key_is_used(self, keys: tuple[str, Path]) -> None:
        verifier = TokenVerifier(settings(jwt_public_key=keys[1].read_text()))
        assert verifier.verify(mint("OCW", [], private_key=keys[0])).organisatie == "OCW"

    def test_jwks_file_is_used(self, keys: tuple[str, Path], tmp_path: Path) -> None:
        public_key = load_pem_public_key(keys[1].read_bytes())
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(public_key))
        jwks = tmp_path / "jwks.json"
        jwks.write_text(json.dumps({"keys": [{**jwk, "kid": "dev", "alg": "RS256"}]}))
        verifier = TokenVerifier(settings(jwt_jwks_file=str(jwks)))
        assert verifier.verify(mint("VWS", [], private_key=keys[0])).organisatie == "VWS"
