"""Bearer JWTs (NL GOV OAuth profile, client credentials): who is calling, for which organisation.

A token carries `sub` (client id), `organisatie` (a ministry code such as `BZK` or a gemeente
code such as `GM0599`) and `scope` (space separated). Reads of public data need no token.
"""

import json
import re
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from nplv_shared.problems import Forbidden, Unauthorized
from nplv_shared.settings import ServiceSettings

MINISTERIES = ("BZK", "OCW", "SZW", "JenV", "VWS", "EZK", "FIN")
GEMEENTE_CODE = re.compile(r"^GM[0-9]{4}$")
OIN = re.compile(r"^[0-9]{20}$")  # Organisatie-identificatienummer (Logius)

bearer = HTTPBearer(auto_error=False, description="JWT van de NPLV-autorisatieserver",
                    scheme_name="bearerAuth")


@dataclass(frozen=True)
class Principal:
    client_id: str
    organisatie: str
    scopes: frozenset[str]
    oin: str | None = None  # when the token carries the organisation's OIN (claim `oin`)

    @property
    def is_ministerie(self) -> bool:
        return self.organisatie in MINISTERIES

    @property
    def is_gemeente(self) -> bool:
        return bool(GEMEENTE_CODE.match(self.organisatie))


class TokenVerifier:
    def __init__(self, settings: ServiceSettings) -> None:
        self.settings = settings
        self._verified: dict[str, tuple[Principal, float]] = {}

    @cached_property
    def _keys(self) -> list[Any]:
        s = self.settings
        if s.jwt_public_key:
            return [s.jwt_public_key]
        if s.jwt_public_key_file:
            return [Path(s.jwt_public_key_file).read_text()]
        if s.jwt_jwks_file:
            jwks = json.loads(Path(s.jwt_jwks_file).read_text())
            return [jwt.PyJWK(k).key for k in jwks["keys"]]
        return []

    def verify(self, token: str) -> Principal:
        """The principal of a valid token, or Unauthorized (with a Dutch reason). Verified
        tokens are remembered until they expire (the rate limiter and the route both ask)."""
        cached = self._verified.get(token)
        if cached is not None and cached[1] > time.time():
            return cached[0]
        if not self._keys:
            raise Unauthorized("Deze dienst heeft geen sleutel om tokens te controleren.")
        last_error: jwt.PyJWTError | None = None
        for key in self._keys:
            try:
                claims = jwt.decode(
                    token, key, algorithms=self.settings.jwt_algorithms,
                    audience=self.settings.jwt_audience, issuer=self.settings.jwt_issuer,
                    options={"require": ["exp", "iat", "sub", "iss", "aud"]}, leeway=30,
                )
            except jwt.PyJWTError as exc:
                last_error = exc
                continue
            principal = _principal(claims)
            if len(self._verified) >= 10_000:
                self._verified.clear()
            self._verified[token] = (principal, float(claims["exp"]) + 30)
            return principal
        raise Unauthorized(f"Token is ongeldig: {_reason(last_error)}.")

    def try_verify(self, token: str) -> Principal | None:
        try:
            return self.verify(token)
        except Unauthorized:
            return None


JWT_REASONS: list[tuple[type[jwt.PyJWTError], str]] = [
    (jwt.ExpiredSignatureError, "het token is verlopen"),
    (jwt.ImmatureSignatureError, "het token is nog niet geldig"),
    (jwt.InvalidSignatureError, "de handtekening klopt niet"),
    (jwt.InvalidAudienceError, "het token is niet voor deze dienst bedoeld (aud)"),
    (jwt.InvalidIssuerError, "het token komt van een onbekende uitgever (iss)"),
    (jwt.MissingRequiredClaimError, "het token mist een verplichte claim"),
    (jwt.InvalidAlgorithmError, "het token gebruikt een niet toegestaan algoritme"),
    (jwt.DecodeError, "het token is geen leesbare JWT"),
]


def _reason(error: jwt.PyJWTError | None) -> str:
    for kind, reason in JWT_REASONS:
        if isinstance(error, kind):
            if isinstance(error, jwt.MissingRequiredClaimError):
                return f"{reason} '{error.claim}'"
            return reason
    return "het token kon niet worden gecontroleerd"


def _principal(claims: dict[str, Any]) -> Principal:
    organisatie = claims.get("organisatie")
    if not isinstance(organisatie, str) or not (
        organisatie in MINISTERIES or GEMEENTE_CODE.match(organisatie)
    ):
        raise Unauthorized("Token mist een geldige claim 'organisatie'.")
    scope = claims.get("scope", "")
    oin = claims.get("oin")
    if oin is not None and not (isinstance(oin, str) and OIN.match(oin)):
        raise Unauthorized("Token heeft een ongeldige claim 'oin' (20 cijfers).")
    # The OAuth client is `azp` when the authorisation server sets it, else `sub`.
    return Principal(client_id=str(claims.get("azp") or claims["sub"]), organisatie=organisatie,
                     scopes=frozenset(str(scope).split()), oin=oin)


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("Voor deze bewerking is een bearer-token nodig.")
    verifier: TokenVerifier = request.state.token_verifier
    principal = verifier.verify(credentials.credentials)
    request.state.principal = principal  # for the audit log of this request
    return principal


def require_scope(scope: str) -> Any:
    """Dependency: a valid token that carries `scope`."""

    async def dependency(
        principal: Annotated[Principal, Depends(current_principal)],
    ) -> Principal:
        if scope not in principal.scopes:
            raise Forbidden(f"Token mist scope '{scope}'.")
        return principal

    return Depends(dependency)
