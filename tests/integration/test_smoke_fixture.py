from sqlalchemy import func, select

from reviewtool.models import Project
from tests.factories import ProjectFactory


def test_project_factory_creates_draft_visible_through_api(session, api):
    project = ProjectFactory()
    response = api(project.owner).get(f"/projects/{project.id}")
    assert response.status_code == 200
    assert response.json["state"] == "draft"
    assert session.scalar(select(func.count()).select_from(Project)) == 1
