"""Never 500 for any input: arbitrary JSON at every writing endpoint and arbitrary queries."""

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from reviewtool.services.proposals import FIELDS
from tests.factories import EMPTY, PASSWORD, ProjectFactory, UserFactory

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

SCALARS = (st.none() | st.booleans() | st.integers() | st.floats()
           | st.text(max_size=40) | st.sampled_from(["", " ", "draft", "submit", "withdraw",
                                                     "contributors", "mentorship", "skill",
                                                     "profession", "fractional", "a\x00b",
                                                     "\ud800", "9" * 30]))
JSON = st.recursive(SCALARS, lambda children: st.lists(children, max_size=4)
                    | st.dictionaries(st.text(max_size=12), children, max_size=4),
                    max_leaves=12)


def objects_with(names: list[str]) -> st.SearchStrategy[dict]:
    """Dicts whose keys are mostly the real field `names`, with arbitrary values."""
    return st.dictionaries(st.sampled_from(names) | st.text(max_size=12), JSON, max_size=6)


OUTCOME = objects_with(["outcome", "measure"])
ROLE = objects_with(["kind", "key", "technical", "commitment", "hours_per_month"])
NESTED = st.fixed_dictionaries({}, optional={
    "outcomes": st.lists(OUTCOME, max_size=3), "roles_needed": st.lists(ROLE, max_size=3),
    "work_groups": st.lists(JSON, max_size=3)})
TEXT = st.text(max_size=60) | JSON
# Close to valid, so that many examples get past validation and reach the database.
PLAUSIBLE = st.fixed_dictionaries({}, optional={
    "title": TEXT, "summary": TEXT, "location": TEXT, "budget": TEXT, "timeline": TEXT,
    "project_type": st.sampled_from(["fellowship_mentoring", "events", "nope"]) | JSON,
    "work_groups": st.lists(st.sampled_from(["technical", "governance", "x"]), max_size=3),
    "activity": st.sampled_from(["start", "sustain", "scale", "grow"]),
    "outcomes": st.lists(st.fixed_dictionaries(
        {"outcome": st.sampled_from(["contributors", "contributions", "coordination"])},
        optional={"measure": TEXT}), max_size=3),
    "roles_needed": st.lists(st.fixed_dictionaries(
        {"kind": st.sampled_from(["skill", "profession"]),
         "key": st.sampled_from(["mentorship", "marketing_communications", "research"])},
        optional={"technical": st.booleans() | JSON,
                  "commitment": st.sampled_from(["full_time", "fractional"]),
                  "hours_per_month": st.integers(-5, 800) | JSON}), max_size=3)})
PROPOSAL = st.one_of(JSON, objects_with([*FIELDS, "version"]),
                     st.builds(lambda a, b: {**a, **b}, objects_with([*FIELDS, "version"]),
                               NESTED),
                     PLAUSIBLE, PLAUSIBLE.map(lambda d: {**d, "version": 1}))
TRANSITION = st.one_of(JSON, objects_with(["trigger", "comment", "version",
                                           "override_rationale"]),
                       st.fixed_dictionaries({"trigger": st.sampled_from(["submit", "withdraw"])},
                                             optional={"comment": JSON, "version": JSON,
                                                       "override_rationale": JSON}))
TOKEN = st.one_of(JSON, objects_with(["email", "password"]))
QUERY = st.dictionaries(st.sampled_from(["page", "per_page", "state", "type"])
                        | st.text(max_size=8),
                        st.text(max_size=25) | st.integers().map(str)
                        | st.sampled_from(["0", "1", "100", "101", "\u00b2", "\u0661", "risk_model",
                                         "9" * 30, "9" * 5000, "a\x00b"]),
                        max_size=4)


def assert_well_formed(response) -> None:
    """< 500, and an error answer is {"errors": [{"message": str, ...}, ...]}."""
    event(f"status {response.status_code}")  # shown by --hypothesis-show-statistics
    assert response.status_code < 500, response.data
    if response.status_code >= 400:
        body = response.get_json(silent=True)
        assert isinstance(body, dict), response.data
        assert isinstance(body.get("errors"), list) and body["errors"], body
        for problem in body["errors"]:
            assert isinstance(problem, dict), body
            assert isinstance(problem.get("message"), str), body


@FUZZ
@given(body=PROPOSAL)
def test_fuzz_create_project_never_500(api, session, body):
    response = api(UserFactory()).post("/projects", json=body)
    assert_well_formed(response)


@FUZZ
@given(body=PROPOSAL, complete=st.booleans())
def test_fuzz_patch_project_never_500(api, session, body, complete):
    project = ProjectFactory() if complete else ProjectFactory(proposal=EMPTY)
    response = api(project.owner).patch(f"/projects/{project.id}", json=body)
    assert_well_formed(response)


@FUZZ
@given(body=TRANSITION, state=st.sampled_from(["draft", "risk_model", "withdrawn"]))
def test_fuzz_transition_never_500(api, session, body, state):
    project = ProjectFactory(state=state)
    response = api(project.owner).post(f"/projects/{project.id}/transitions", json=body)
    assert_well_formed(response)


@FUZZ
@given(body=TOKEN, known=st.booleans())
def test_fuzz_create_token_never_500(client, session, body, known):
    if known and isinstance(body, dict):
        user = UserFactory()
        body = {**body, "email": user.email, "password": body.get("password", PASSWORD)}
    response = client.post("/api/v1/tokens", json=body)
    assert_well_formed(response)


@FUZZ
@given(query=QUERY)
def test_fuzz_list_projects_query_never_500(api, session, query):
    response = api(UserFactory(roles=("proposer", "grantmaker"))).get("/projects",
                                                                       query_string=query)
    assert_well_formed(response)


@FUZZ
@given(query=QUERY)
def test_fuzz_list_users_query_never_500(api, session, query):
    response = api(UserFactory(roles=("admin",))).get("/users", query_string=query)
    assert_well_formed(response)


@FUZZ
@given(raw=st.binary(max_size=60), content_type=st.sampled_from(
    ["application/json", "text/plain", "application/x-www-form-urlencoded"]))
def test_fuzz_raw_bodies_never_500(api, session, raw, content_type):
    user = UserFactory()
    response = api(user).post("/projects", data=raw, content_type=content_type)
    assert_well_formed(response)
