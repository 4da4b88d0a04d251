"""Never 500 for any input at the account endpoints: arbitrary JSON for new tokens (with the
caller's token), password changes and admins' user changes."""

from hypothesis import given
from hypothesis import strategies as st

from tests.factories import UserFactory
from tests.web.test_api_fuzz import FUZZ, JSON, assert_well_formed, objects_with

TOKEN_FIELDS = objects_with(["name", "expires_in_days"])
PASSWORDS = objects_with(["current_password", "new_password"])
USER_CHANGES = st.one_of(JSON, objects_with(["active", "roles"]), st.fixed_dictionaries(
    {}, optional={"active": st.booleans() | JSON,
                  "roles": st.lists(st.sampled_from(["admin", "proposer", "x", ""]),
                                    max_size=3) | JSON}))


@FUZZ
@given(body=st.one_of(JSON, TOKEN_FIELDS))
def test_fuzz_token_for_the_caller_never_500(api, session, body):
    assert_well_formed(api(UserFactory()).post("/tokens", json=body))


@FUZZ
@given(body=st.one_of(JSON, PASSWORDS))
def test_fuzz_change_password_never_500(api, session, body):
    assert_well_formed(api(UserFactory()).post("/me/password", json=body))


@FUZZ
@given(body=USER_CHANGES, own=st.booleans())
def test_fuzz_patch_user_never_500(api, session, body, own):
    admin = UserFactory(roles=("admin",))
    target = admin if own else UserFactory()
    assert_well_formed(api(admin).patch(f"/users/{target.id}", json=body))
