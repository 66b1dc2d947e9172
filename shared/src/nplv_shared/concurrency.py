"""ETag / If-Match: the aggregate's `versie` is its ETag."""

from nplv_shared.problems import PreconditionFailed, PreconditionRequired


def etag(versie: int) -> str:
    return f'"{versie}"'


def check_if_match(if_match: str | None, versie: int) -> None:
    """An update of an existing resource needs the ETag the client last saw."""
    if if_match is None:
        raise PreconditionRequired("Stuur de ETag van de laatst gelezen versie mee in If-Match.")
    tags = {t.strip() for t in if_match.split(",")}  # strong comparison (RFC 9110 13.1.1)
    if "*" not in tags and etag(versie) not in tags:
        raise PreconditionFailed(
            f"De resource is intussen gewijzigd (huidige versie {etag(versie)}); "
            "lees hem opnieuw en probeer het nog eens.")


def check_put_precondition(if_match: str | None, current_versie: int | None) -> None:
    """PUT creates when nothing exists yet (no If-Match needed) and otherwise needs If-Match."""
    if current_versie is None:
        if if_match is not None and if_match.strip() != "*":
            raise PreconditionFailed("De resource bestaat nog niet; laat If-Match weg.")
        return
    check_if_match(if_match, current_versie)
