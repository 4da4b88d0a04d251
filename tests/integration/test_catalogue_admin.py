"""Admins extend the catalogues; a new risk category freezes a new catalogue version."""

from sqlalchemy import func, select

from reviewtool.models import CatalogueItem, RiskCatalogueVersion
from reviewtool.services.catalogues import latest_risk_catalogue
from tests.factories import UserFactory


def test_catalogue_entry_added_by_admin_freezes_new_risk_version(session, api):
    admin = UserFactory(roles=("admin",))
    before = latest_risk_catalogue(session).number
    response = api(admin).post("/catalogues/risk_categories", json={
        "key": "legal_harm", "label": "Legal harm", "guidance": "Could it break a law?"})
    assert response.status_code == 201
    assert response.json == {"catalogue": "risk_categories", "key": "legal_harm",
                             "label": "Legal harm", "guidance": "Could it break a law?",
                             "description": ""}
    latest = latest_risk_catalogue(session)
    assert latest.number == before + 1
    assert latest.categories[-1]["key"] == "legal_harm"
    assert latest.categories[-1]["guidance"] == "Could it break a law?"


def test_catalogue_entry_added_by_grantmaker_is_forbidden(session, api):
    grantmaker = UserFactory(roles=("grantmaker",))
    count = session.scalar(select(func.count()).select_from(CatalogueItem))
    response = api(grantmaker).post("/catalogues/safeguard_types",
                                    json={"key": "audit", "label": "External audit"})
    assert response.status_code == 403
    assert session.scalar(select(func.count()).select_from(CatalogueItem)) == count


def test_catalogue_entry_duplicate_key_is_conflict(session, api):
    admin = UserFactory(roles=("admin",))
    response = api(admin).post("/catalogues/safeguard_types",
                               json={"key": "supervisory_team", "label": "Again"})
    assert response.status_code == 409
    assert response.json == {"errors": [{"message": "safeguard_types already has an entry "
                                                    "'supervisory_team'."}]}


def test_catalogue_entry_bad_input_lists_every_problem(session, api):
    admin = UserFactory(roles=("admin",))
    versions = session.scalar(select(func.count()).select_from(RiskCatalogueVersion))
    response = api(admin).post("/catalogues/colours", json={"key": "Bad Key", "label": ""})
    assert response.status_code == 422
    assert [p["field"] for p in response.json["errors"]] == ["catalogue", "key", "label"]
    assert session.scalar(select(func.count()).select_from(RiskCatalogueVersion)) == versions


def test_catalogue_new_safeguard_type_is_offered_in_catalogues(session, api):
    admin = UserFactory(roles=("admin",))
    api(admin).post("/catalogues/safeguard_types", json={"key": "audit", "label": "Audit"})
    keys = [e["key"] for e in api(admin).get("/catalogues").json["safeguard_types"]]
    assert keys[-1] == "audit"
