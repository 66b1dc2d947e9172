"""nplv_shared.concurrency: the versie is the ETag; updates need a matching If-Match."""

import pytest

from nplv_shared.concurrency import check_if_match, check_put_precondition, etag
from nplv_shared.problems import PreconditionFailed, PreconditionRequired


class TestEtag:
    @pytest.mark.parametrize(("versie", "expected"), [(1, '"1"'), (42, '"42"'), (0, '"0"')])
    def test_etag_is_the_versie_as_a_quoted_strong_tag(self, versie: int, expected: str) -> None:
        assert etag(versie) == expected


class TestCheckIfMatch:
    def test_missing_if_match_is_precondition_required_428(self) -> None:
        with pytest.raises(PreconditionRequired) as info:
            check_if_match(None, 3)
        assert info.value.status == 428

    def test_stale_etag_is_precondition_failed_412(self) -> None:
        with pytest.raises(PreconditionFailed) as info:
            check_if_match('"2"', 3)
        assert info.value.status == 412
        assert '"3"' in info.value.detail

    def test_unquoted_versie_does_not_match(self) -> None:
        with pytest.raises(PreconditionFailed):
            check_if_match("3", 3)

    def test_empty_if_match_does_not_match(self) -> None:
        with pytest.raises(PreconditionFailed):
            check_if_match("", 3)

    def test_matching_etag_passes(self) -> None:
        check_if_match('"3"', 3)

    def test_matching_etag_with_surrounding_whitespace_passes(self) -> None:
        check_if_match('  "3"  ', 3)

    def test_weak_etag_never_matches_if_match(self) -> None:
        with pytest.raises(PreconditionFailed):
            check_if_match('W/"3"', 3)

    def test_weak_stale_etag_still_fails(self) -> None:
        with pytest.raises(PreconditionFailed):
            check_if_match('W/"2"', 3)

    def test_one_matching_tag_in_a_list_passes(self) -> None:
        check_if_match('"1", "2", "3"', 3)

    def test_list_without_a_matching_tag_fails(self) -> None:
        with pytest.raises(PreconditionFailed):
            check_if_match('"1", "2"', 3)

    def test_star_matches_any_current_versie(self) -> None:
        check_if_match("*", 17)


class TestCheckPutPrecondition:
    def test_create_without_if_match_passes(self) -> None:
        check_put_precondition(None, None)

    def test_create_with_star_passes(self) -> None:
        check_put_precondition(" * ", None)

    def test_create_with_an_etag_fails_because_nothing_exists(self) -> None:
        with pytest.raises(PreconditionFailed) as info:
            check_put_precondition('"1"', None)
        assert info.value.status == 412

    def test_replace_without_if_match_is_precondition_required(self) -> None:
        with pytest.raises(PreconditionRequired):
            check_put_precondition(None, 2)

    def test_replace_with_stale_etag_fails(self) -> None:
        with pytest.raises(PreconditionFailed):
            check_put_precondition('"1"', 2)

    def test_replace_with_current_etag_passes(self) -> None:
        check_put_precondition('"2"', 2)
