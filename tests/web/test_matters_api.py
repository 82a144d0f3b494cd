"""GET /api/v1/matters and /matters/{code}, and the JSON error shape of API.md."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_catalogue_lists_published_matters_with_the_api_fields(client: FlaskClient) -> None:
    response = client.get("/api/v1/matters")

    assert response.status_code == 200
    matters = {m["code"]: m for m in response.get_json()["matters"]}
    assert {"catchup-contribution", "personal-info-change"} <= set(matters)
    catchup = matters["catchup-contribution"]
    assert set(catchup) == {
        "code",
        "name",
        "category",
        "applicant_type",
        "instant",
        "time_limit_days",
        "version",
    }
    assert catchup["name"]["zh"].startswith("补缴")
    assert catchup["applicant_type"] == "individual"
    assert catchup["instant"] is True and catchup["version"] == 1


def test_guide_carries_the_service_guide_and_start_form(client: FlaskClient) -> None:
    response = client.get("/api/v1/matters/catchup-contribution")

    assert response.status_code == 200
    body = response.get_json()
    assert body["code"] == "catchup-contribution" and body["version"] == 1
    assert set(body["guide"]) >= {"eligibility", "materials", "legal_basis", "fees", "channels"}
    assert body["start_form"]["id"] == "catchup-contribution-start"
    keys = {c.get("key") for c in body["start_form"]["components"]}
    assert {"from_month", "to_month", "monthly_base"} <= keys


def test_unknown_matter_is_a_json_404(client: FlaskClient) -> None:
    response = client.get("/api/v1/matters/no-such-matter")

    assert response.status_code == 404
    assert response.get_json() == {
        "error": {"code": "matter_not_found", "message": "no published matter 'no-such-matter'"}
    }


def test_unknown_api_path_is_a_json_404_without_a_stack_trace(client: FlaskClient) -> None:
    response = client.get("/api/v1/nothing-here")

    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert b"Traceback" not in response.data


def test_home_page_lists_the_catalogue_in_chinese_and_english(client: FlaskClient) -> None:
    chinese = client.get("/").get_data(as_text=True)
    english = client.get("/?lang=en").get_data(as_text=True)

    assert "补缴" in chinese and "Contribution catch-up" in english


def test_a_method_the_path_does_not_take_says_which_it_does(client: FlaskClient) -> None:
    response = client.delete("/api/v1/matters")

    assert response.status_code == 405 and response.get_json()["error"]["code"] == "method_not_allowed"
    assert set(response.headers["Allow"].split(", ")) >= {"GET"}
