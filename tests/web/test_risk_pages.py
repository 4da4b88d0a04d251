"""The risk-model pages without a browser: the editor (sections, labels, saving, inline
errors), the read-only model with its heat map on the project page, and who may open what."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from sqlalchemy import select

from reviewtool.catalogue_defaults import RISK_CATEGORIES
from reviewtool.models import Project, Risk
from tests.factories import (
    COMPLETE,
    ProjectFactory,
    RiskFactory,
    UserFactory,
    complete_risk_model,
)

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
TIMES = "\N{MULTIPLICATION SIGN}"
MARKETING = {**COMPLETE, "roles_needed": [
    {"kind": "profession", "key": "marketing_communications", "technical": False,
     "commitment": "fractional", "hours_per_month": 20}]}


class _TreeParser(HTMLParser):
    """Our own templates' HTML into an ElementTree (tags lower-case, no namespaces)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = ET.Element("document")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = ET.SubElement(self.stack[-1], tag, {k: v or "" for k, v in attrs})
        element.text = ""
        if tag == "br":
            self.handle_data(" ")
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        parent = self.stack[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + data
        else:
            parent.text = (parent.text or "") + data


def parse(response) -> ET.Element:
    parser = _TreeParser()
    parser.feed(response.get_data(as_text=True))
    parser.close()
    # A <template>'s rows are inert until the script copies them: not part of the form.
    for parent in list(parser.root.iter()):
        for child in [c for c in parent if c.tag == "template"]:
            parent.remove(child)
    return parser.root


def text_of(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def by_class(root: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    return [e for e in root.iter(tag) if cls in e.get("class", "").split()]


def controls(form: ET.Element) -> list[ET.Element]:
    """Every visible control of the form."""
    return [e for e in form.iter() if e.tag in {"select", "textarea"}
            or (e.tag == "input" and e.get("type") != "hidden")]


def label_ids(root: ET.Element) -> dict[str, str]:
    """Label text → the id of the control it labels."""
    return {text_of(label): label.get("for") for label in root.iter("label")}


def form_values(form: ET.Element) -> dict[str, str]:
    """What a browser would send for the form as rendered (unchecked boxes left out)."""
    values: dict[str, str] = {}
    for element in form.iter():
        name = element.get("name")
        if not name:
            continue
        if element.tag == "input":
            if element.get("type") == "checkbox":
                if "checked" in element.attrib:
                    values[name] = element.get("value", "on")
            else:
                values[name] = element.get("value", "")
        elif element.tag == "textarea":
            # HTML drops the one line break that follows <textarea>
            values[name] = (element.text or "").replace("\r\n", "\n").removeprefix("\n")
        elif element.tag == "select":
            options = element.findall("option")
            chosen = [o for o in options if "selected" in o.attrib] or options[:1]
            values[name] = chosen[0].get("value", "") if chosen else ""
    return values


def fill(root: ET.Element, labelled: dict[str, str]) -> dict[str, str]:
    """The editor's form values with the controls named by their label text set."""
    [form] = by_class(root, "form", "risk-editor")
    values, ids = form_values(form), label_ids(root)
    names = {e.get("id"): e.get("name") for e in form.iter() if e.get("id")}
    for label, value in labelled.items():
        values[names[ids[label]]] = value
    return values


def edit_url(project: Project) -> str:
    return f"/projects/{project.id}/risks/edit"


def capabilities_risk(**overrides: str) -> dict[str, str]:
    prefix = "Speeding up capabilities research risk 1: "
    fields = {"Description": "Alumni take jobs at capabilities labs.", "Likelihood": "3",
              "Severity": "4", "Reversibility": "hard_to_reverse",
              "Can a pilot reveal it?": "partly", "Strength of knowledge": "low",
              **overrides}
    return {prefix + k: v for k, v in fields.items()}


# --- the editor -------------------------------------------------------------------------------

def test_risk_editor_has_one_section_per_category_with_guidance(client, login, session):
    project = ProjectFactory(state="risk_model")
    response = login(project.owner).get(edit_url(project))
    assert response.status_code == 200
    sections = by_class(parse(response), "section", "category")
    assert [(text_of(s.find("h2")), text_of(by_class(s, "p", "guidance")[0]))
            for s in sections] == [(label, extra["guidance"])
                                   for _key, label, extra in RISK_CATEGORIES]
    assert [s.get("aria-labelledby") for s in sections] == [
        f"cat-{key}" for key, _label, _extra in RISK_CATEGORIES]


def test_risk_editor_every_control_has_a_label(client, login, session):
    project = ProjectFactory(state="risk_model")
    RiskFactory(revision=project.current_revision, category="displacement")
    root = parse(login(project.owner).get(edit_url(project)))
    [form] = by_class(root, "form", "risk-editor")
    labels = [text_of(label) for label in root.iter("label")]
    labelled = {label.get("for") for label in root.iter("label") if text_of(label)}
    fields = controls(form)
    # a blank row in each of the 6 categories without a risk, and the saved one: 9 controls
    # each (+ remove on the saved row); 2 per category for "not applicable"
    assert len(fields) == 7 * 9 + 1 + 7 * 2
    assert [e.get("id") for e in fields if e.get("id") not in labelled] == []
    assert len(labels) == len(set(labels))
    assert "Displacement risk 1: Remove this risk" in labels
    assert "Displacement risk 2: Description" not in labels  # "Add another risk" instead
    assert "Displacement: Not applicable to this project" in labels
    assert "Displacement: Why it does not apply" in labels


def test_risk_editor_add_another_without_script_keeps_typed_and_saves_nothing(
        client, login, session):
    project = ProjectFactory(state="risk_model")
    web = login(project.owner)
    root = parse(web.get(edit_url(project)))
    data = fill(root, {**capabilities_risk(),
                       "Displacement: Why it does not apply": "Nobody else runs this."})
    response = web.post(edit_url(project), data={**data, "add_row": "capabilities"})
    assert response.status_code == 200
    again = parse(response)
    ids, values = label_ids(again), form_values(by_class(again, "form", "risk-editor")[0])
    names = {e.get("id"): e.get("name") for e in again.iter() if e.get("id")}
    typed = {label: values[names[ids[label]]] for label in (
        "Speeding up capabilities research risk 1: Description",
        "Speeding up capabilities research risk 1: Likelihood",
        "Speeding up capabilities research risk 1: Reversibility",
        "Displacement: Why it does not apply")}
    assert typed == {
        "Speeding up capabilities research risk 1: Description":
            "Alumni take jobs at capabilities labs.",
        "Speeding up capabilities research risk 1: Likelihood": "3",
        "Speeding up capabilities research risk 1: Reversibility": "hard_to_reverse",
        "Displacement: Why it does not apply": "Nobody else runs this."}
    assert values[names[ids["Speeding up capabilities research risk 2: Description"]]] == ""
    assert "Please correct" not in text_of(again)
    session.expire_all()
    assert session.scalars(select(Risk)).all() == []


def test_risk_editor_add_another_unknown_key_is_an_ordinary_save(client, login, session):
    project = ProjectFactory(state="risk_model")
    web = login(project.owner)
    data = fill(parse(web.get(edit_url(project))), capabilities_risk())
    response = web.post(edit_url(project), data={**data, "add_row": "no_such_category"})
    assert response.status_code == 302
    session.expire_all()
    assert [r.category for r in session.scalars(select(Risk))] == ["capabilities"]


def test_risk_editor_no_blank_row_where_not_applicable_or_risks_exist(client, login, session):
    project = ProjectFactory(state="risk_model")
    RiskFactory(revision=project.current_revision, category="displacement")
    web = login(project.owner)
    data = fill(parse(web.get(edit_url(project))), {
        "Information hazard: Not applicable to this project": "y",
        "Information hazard: Why it does not apply": "Only published material."})
    assert web.post(edit_url(project), data=data).status_code == 302
    labels = {text_of(label) for label in parse(web.get(edit_url(project))).iter("label")}
    assert "Information hazard risk 1: Description" not in labels
    assert "Displacement risk 2: Description" not in labels
    blank_rows = sorted(label.split(" risk 1: ")[0] for label in labels
                        if label.endswith(" risk 1: Description"))
    assert blank_rows == sorted(label for key, label, _extra in RISK_CATEGORIES
                                if key not in {"info_hazard"})


def test_risk_editor_row_template_per_category_carries_index_placeholder(client, login,
                                                                          session):
    project = ProjectFactory(state="risk_model")
    html = login(project.owner).get(edit_url(project)).get_data(as_text=True)
    assert html.count("<template>") == len(RISK_CATEGORIES)
    assert 'name="risks-__index__-description"' in html
    assert "Displacement risk __number__: </span>Description" in html
    assert html.count('name="add_row" value="displacement"') == 1


def test_risk_editor_save_stores_the_risk(client, login, session):
    project = ProjectFactory(state="risk_model")
    web = login(project.owner)
    root = parse(web.get(edit_url(project)))
    data = fill(root, {
        **capabilities_risk(**{"Safeguards that lower it": "Motivation interviews.",
                               "Residual likelihood": "2"}),
        "Information hazard: Not applicable to this project": "y",
        "Information hazard: Why it does not apply": "Only published material."})
    response = web.post(edit_url(project), data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == edit_url(project)

    session.expire_all()
    [stored] = session.scalars(select(Risk)).all()
    assert (stored.revision_id, stored.category, stored.description, stored.likelihood,
            stored.severity, stored.reversibility, stored.pilot_reveals, stored.knowledge,
            stored.mitigation, stored.residual_likelihood, stored.residual_severity) == (
        project.current_revision.id, "capabilities", "Alumni take jobs at capabilities labs.",
        3, 4, "hard_to_reverse", "partly", "low", "Motivation interviews.", 2, 4)
    revision = session.get(Project, project.id).current_revision
    assert [(e.category, e.reason) for e in revision.exclusions] == [
        ("info_hazard", "Only published material.")]
    assert revision.risk_catalogue_version.number == 1

    page = web.get(edit_url(project))
    assert "Risk model saved." in text_of(parse(page))


def test_risk_editor_resave_unchanged_keeps_risk_and_exclusion(client, login, session):
    project = ProjectFactory(state="risk_model")
    web = login(project.owner)
    data = fill(parse(web.get(edit_url(project))), {
        **capabilities_risk(),
        "Information hazard: Not applicable to this project": "y",
        "Information hazard: Why it does not apply": "Only published material."})
    assert web.post(edit_url(project), data=data).status_code == 302
    session.expire_all()
    [first] = session.scalars(select(Risk.id)).all()

    again = form_values(by_class(parse(web.get(edit_url(project))), "form", "risk-editor")[0])
    response = web.post(edit_url(project), data=again)
    assert response.status_code == 302
    session.expire_all()
    assert session.scalars(select(Risk.id)).all() == [first]
    revision = session.get(Project, project.id).current_revision
    assert [(e.category, e.reason) for e in revision.exclusions] == [
        ("info_hazard", "Only published material.")]


def test_risk_editor_remove_box_deletes_the_risk(client, login, session):
    project = ProjectFactory(state="risk_model")
    RiskFactory(revision=project.current_revision, category="displacement")
    web = login(project.owner)
    data = fill(parse(web.get(edit_url(project))),
                {"Displacement risk 1: Remove this risk": "y"})
    assert web.post(edit_url(project), data=data).status_code == 302
    session.expire_all()
    assert session.scalars(select(Risk)).all() == []


def test_risk_editor_lowered_residual_without_safeguard_is_422_inline(client, login, session):
    project = ProjectFactory(state="risk_model")
    web = login(project.owner)
    data = fill(parse(web.get(edit_url(project))),
                capabilities_risk(**{"Residual likelihood": "1"}))
    response = web.post(edit_url(project), data=data)
    assert response.status_code == 422

    root = parse(response)
    ids = label_ids(root)
    mitigation_id = ids["Speeding up capabilities research risk 1: Safeguards that lower it"]
    errors = by_class(root, "p", "error")
    assert [(e.get("id"), text_of(e)) for e in errors] == [
        (f"{mitigation_id}-error",
         "The residual risk is lowered, so name the safeguard that lowers it.")]
    [wrapper] = [d for d in by_class(root, "div", "field")
                 if any(c.get("id") == mitigation_id for c in d)]
    assert "has-error" in wrapper.get("class").split()
    assert wrapper.find("p").get("class") == "error"
    assert root.find(".//*[@role='alert']") is not None
    # what the proposer typed is still there
    assert form_values(by_class(root, "form", "risk-editor")[0])[
        mitigation_id.replace("-mitigation", "-description")] == (
        "Alumni take jobs at capabilities labs.")
    session.expire_all()
    assert session.scalars(select(Risk)).all() == []


def test_risk_editor_bad_scale_value_is_422_inline(client, login, session):
    project = ProjectFactory(state="risk_model")
    web = login(project.owner)
    data = fill(parse(web.get(edit_url(project))),
                capabilities_risk(Likelihood=""))
    response = web.post(edit_url(project), data=data)
    assert response.status_code == 422
    root = parse(response)
    likelihood_id = label_ids(root)["Speeding up capabilities research risk 1: Likelihood"]
    assert [(e.get("id"), text_of(e)) for e in by_class(root, "p", "error")] == [
        (f"{likelihood_id}-error", "Likelihood should be a whole number.")]


def test_risk_editor_not_applicable_without_reason_is_422_inline(client, login, session):
    project = ProjectFactory(state="risk_model")
    web = login(project.owner)
    data = fill(parse(web.get(edit_url(project))), {
        "Information hazard: Not applicable to this project": "y",
        "Coordination harm: Not applicable to this project": "y",
        "Information hazard: Why it does not apply": "Public material only."})
    response = web.post(edit_url(project), data=data)
    assert response.status_code == 422
    root = parse(response)
    reason_id = label_ids(root)["Coordination harm: Why it does not apply"]
    assert [(e.get("id"), text_of(e)) for e in by_class(root, "p", "error")] == [
        (f"{reason_id}-error", "Why it does not apply is required.")]
    assert text_of(root.find(".//*[@role='alert']")) == (
        "Please correct thisCoordination harm: Why it does not apply is required.")
    session.expire_all()
    assert session.get(Project, project.id).current_revision.exclusions == []


def test_risk_editor_risk_in_excluded_category_is_422_inline(client, login, session):
    project = ProjectFactory(state="risk_model")
    web = login(project.owner)
    data = fill(parse(web.get(edit_url(project))), {
        **capabilities_risk(),
        "Speeding up capabilities research: Not applicable to this project": "y",
        "Speeding up capabilities research: Why it does not apply": "Not our field."})
    response = web.post(edit_url(project), data=data)
    assert response.status_code == 422
    root = parse(response)
    reason_id = label_ids(root)["Speeding up capabilities research: Why it does not apply"]
    assert [(e.get("id"), text_of(e)) for e in by_class(root, "p", "error")] == [
        (f"{reason_id}-error",
         "'capabilities' has risks, so it cannot also be marked not applicable.")]


def test_risk_editor_one_megabyte_description_is_422_inline(client, login, session):
    project = ProjectFactory(state="risk_model")
    web = login(project.owner)
    data = fill(parse(web.get(edit_url(project))),
                capabilities_risk(Description="x" * 1_000_000))
    response = web.post(edit_url(project), data=data)
    assert response.status_code == 422
    root = parse(response)
    description_id = label_ids(root)["Speeding up capabilities research risk 1: Description"]
    assert [(e.get("id"), text_of(e)) for e in by_class(root, "p", "error")] == [
        (f"{description_id}-error",
         "Description is too long: at most 2000 characters.")]


def test_risk_editor_other_proposer_is_404(client, login, session):
    project = ProjectFactory(state="risk_model")
    web = login(UserFactory())
    assert web.get(edit_url(project)).status_code == 404
    assert web.post(edit_url(project), data={}).status_code == 404


def test_risk_editor_grantmaker_is_403(client, login, session):
    project = ProjectFactory(state="review")
    assert login(UserFactory(roles=("grantmaker",))).get(edit_url(project)).status_code == 403


def test_risk_editor_owner_in_review_is_409(client, login, session):
    project = ProjectFactory(state="review")
    assert login(project.owner).get(edit_url(project)).status_code == 409


def test_risk_editor_signed_out_redirects_to_login(client, session):
    project = ProjectFactory(state="risk_model")
    response = client.get(edit_url(project))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


# --- the project page -------------------------------------------------------------------------

def risk_section(root: ET.Element) -> ET.Element:
    [section] = by_class(root, "section", "risk-model")
    return section


def test_project_page_shows_model_read_only_to_grantmaker(client, login, session):
    project = ProjectFactory(state="review", proposal=MARKETING)
    complete_risk_model(project.current_revision)
    RiskFactory(revision=project.current_revision, category="low_fidelity", likelihood=5,
                severity=4, residual_likelihood=4, residual_severity=4,
                description="Doom slogans.", mitigation="Comms review.")
    response = login(UserFactory(roles=("grantmaker",))).get(f"/projects/{project.id}")
    assert response.status_code == 200
    root = parse(response)
    section = risk_section(root)
    assert [e.tag for e in section.iter() if e.tag in {"form", "input", "select", "textarea"}] \
        == []
    [svg] = section.iter("svg")
    assert svg.get("aria-label") == ("Risk heat map: 8 risks by likelihood and severity, "
                                     "before and after safeguards")
    inherent = {(r.get("data-likelihood"), r.get("data-severity")): r.get("data-count")
                for g in svg.iter("g") if g.get("data-grid") == "inherent"
                for r in g.iter("rect")}
    assert inherent[("2", "2")] == "7"
    assert inherent[("5", "4")] == "1"
    rows = [[text_of(c) for c in tr] for tr in section.find("table").find("tbody")]
    assert len(rows) == 8
    assert ["Low-fidelity message", "Doom slogans. Safeguards: Comms review. above appetite",
            f"5 {TIMES} 4 = 20", f"4 {TIMES} 4 = 16", "reversible", "yes", "medium"] in rows
    assert text_of(by_class(section, "p", "warning")[0]) == "1 risk above appetite."
    assert by_class(section, "div", "notice") == []
    assert edit_url(project) not in response.get_data(as_text=True)


def test_project_page_shows_model_to_owner_with_edit_link(client, login, session):
    project = ProjectFactory(state="risk_model")
    RiskFactory(revision=project.current_revision, category="displacement", likelihood=2,
                severity=3, description="Crowding out a local group.")
    response = login(project.owner).get(f"/projects/{project.id}")
    root = parse(response)
    section = risk_section(root)
    [svg] = section.iter("svg")
    assert svg.get("role") == "img"
    rows = [[text_of(c) for c in tr] for tr in section.find("table").find("tbody")]
    assert ["Displacement", "Crowding out a local group.", f"2 {TIMES} 3 = 6",
            f"2 {TIMES} 3 = 6",
            "reversible", "yes", "medium"] in rows
    assert ["Information hazard", "Not addressed yet."] in rows
    notice = by_class(section, "div", "notice")[0]
    assert len(notice.findall(".//li")) == 6
    assert [a.get("href") for a in root.iter("a") if text_of(a) == "Edit risk model"] == [
        edit_url(project)]


def test_project_page_owner_in_review_sees_model_without_edit_link(client, login, session):
    project = ProjectFactory(state="review")
    complete_risk_model(project.current_revision)
    response = login(project.owner).get(f"/projects/{project.id}")
    section = risk_section(parse(response))
    assert len(list(section.iter("svg"))) == 1
    assert "Risk categories as of catalogue version 1." in text_of(section)
    assert edit_url(project) not in response.get_data(as_text=True)


def test_project_page_draft_without_risks_has_no_model_section(client, login, session):
    project = ProjectFactory()
    root = parse(login(project.owner).get(f"/projects/{project.id}"))
    assert by_class(root, "section", "risk-model") == []
