"""The OpenAPI schema and its Swagger UI: for signed-in users, valid, and free of CDN assets."""

import re

import yaml
from django.core.management import call_command

ASSET_URL = re.compile(r"""<(?:script|link|img)\b[^>]*?\b(?:src|href)=["']([^"']+)["']""")


def test_schema_is_served_to_a_signed_in_user(api_as):
    response = api_as("alice").get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    for endpoint in ("accounts", "dossier-notes", "contacts", "contact-relations"):
        assert f"/api/v1/{endpoint}/" in paths
        assert f"/api/v1/{endpoint}/{{id}}/" in paths


def test_schema_generates_without_warnings_and_validates(tmp_path, db):
    schema_file = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema_file))

    schema = yaml.safe_load(schema_file.read_text())
    assert schema["info"]["title"] == "KAM CRM API"
    account = schema["components"]["schemas"]["Account"]["properties"]
    assert account["id"]["readOnly"] is True
    assert account["owner_name"]["readOnly"] is True


def test_swagger_ui_renders_for_a_signed_in_user_with_local_assets_only(api_as):
    client = api_as("alice")

    page = client.get("/api/docs/")
    script = client.get("/api/docs/", {"script": ""})

    assert page.status_code == 200
    html = page.content.decode()
    assets = ASSET_URL.findall(html)
    assert assets, html
    assert all(url.startswith("/") and not url.startswith("//") for url in assets), assets
    assert "http://" not in html
    assert "https://" not in html
    assert script.status_code == 200
    assert not re.search(r"https?://", script.content.decode())


def test_the_account_list_is_described_by_the_viewset_not_by_its_list_method(api_as):
    response = api_as("alice").get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    operation = response.json()["paths"]["/api/v1/accounts/"]["get"]
    assert operation["description"] == (
        "Key clients visible to you. KAMs see their own, directors their territory."
    )
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PaginatedAccountList"
    }
