"""What every request gets: a JSON log line without query strings, no-store caching, the idle
sign-out, and a 503 with Retry-After when the database is too busy."""

import json
import logging
import time

import pytest
from django.contrib.auth import SESSION_KEY

from accounts.models import ApiToken
from ops.logs import JsonFormatter, NoQueryStrings
from ops.middleware import LAST_SEEN
from people.tests.factories import PersonFactory

from .helpers import run_python

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_log():
    """The request log's records, captured at its own logger (it does not propagate)."""
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    logger = logging.getLogger("selfdirect.requests")
    handler = Keep()
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


class TestRequestLog:
    def test_each_request_is_one_json_line_with_request_id_user_status_and_duration(
        self, client_for, practitioner, team, request_log
    ):
        PersonFactory(team=team, first_name="Iris", last_name="Marlow", postcode="WX3 6YH")
        client = client_for(practitioner)
        response = client.get("/people/?name=Marlow&postcode=WX3+6YH&nhs_number=9434765919")
        assert response.status_code == 200
        assert len(request_log) == 1
        line = JsonFormatter().format(request_log[0])
        entry = json.loads(line)
        assert entry["request_id"] == response["X-Request-ID"]
        assert entry["user_id"] == practitioner.pk
        assert entry["status"] == 200
        assert entry["route"] == "/people/"
        assert entry["view"] == "people:caseload"
        assert entry["duration_ms"] >= 0
        for personal in ("Marlow", "WX3", "9434765919", "Iris", "?"):
            assert personal not in line

    def test_a_person_page_logs_its_route_not_the_record_it_opened(
        self, client_for, practitioner, team, request_log
    ):
        person = PersonFactory(team=team)
        client_for(practitioner).get(f"/people/{person.pk}/")
        entry = json.loads(JsonFormatter().format(request_log[0]))
        assert entry["route"] == "/people/<int:pk>/"
        assert f"/{person.pk}/" not in json.dumps(entry)

    def test_the_proxy_s_request_id_is_kept_and_a_bad_one_replaced(self, client, request_log):
        kept = client.get("/accessibility/", HTTP_X_REQUEST_ID="lb-4f2a9c1d-0001")
        assert kept["X-Request-ID"] == "lb-4f2a9c1d-0001"
        replaced = client.get("/accessibility/", HTTP_X_REQUEST_ID="<script>")
        assert replaced["X-Request-ID"] != "<script>" and len(replaced["X-Request-ID"]) == 32
        assert [r.fields["user_id"] for r in request_log] == [None, None]

    def test_server_log_lines_lose_the_query_strings_of_searches(self):
        record = logging.LogRecord(
            "django.server",
            logging.INFO,
            __file__,
            1,
            '"%s" %s %s',
            ("GET /people/?name=Marlow&nhs_number=9434765919 HTTP/1.1", "200", "5120"),
            None,
        )
        NoQueryStrings().filter(record)
        assert record.getMessage() == '"GET /people/ HTTP/1.1" 200 5120'


class TestNoStore:
    def test_pages_and_api_answers_with_personal_data_are_not_stored(
        self, client_for, practitioner, team
    ):
        person = PersonFactory(team=team)
        client = client_for(practitioner)
        _token, raw = ApiToken.issue(practitioner, "Tests")
        for response in (
            client.get("/people/"),
            client.get(f"/people/{person.pk}/"),
            client.get("/api/v1/people", HTTP_AUTHORIZATION=f"Bearer {raw}"),
            client.get(f"/api/v1/people/{person.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}"),
        ):
            assert response.status_code == 200
            assert response["Cache-Control"] == "no-store"

    def test_static_files_may_still_be_cached(self, client):
        response = client.get("/static/css/selfdirect.css")
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", "")


class TestIdleTimeout:
    def _last_seen(self, client, seconds_ago):
        session = client.session
        session[LAST_SEEN] = int(time.time()) - seconds_ago
        session.save()

    def test_a_session_idle_past_the_timeout_is_signed_out(self, client_for, practitioner):
        client = client_for(practitioner)
        assert client.get("/people/").status_code == 200
        self._last_seen(client, 31 * 60)
        response = client.get("/people/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert SESSION_KEY not in client.session
        assert client.get("/people/").status_code == 302  # and it stays signed out

    def test_a_session_used_within_the_timeout_carries_on_and_its_clock_restarts(
        self, client_for, practitioner
    ):
        client = client_for(practitioner)
        client.get("/people/")
        self._last_seen(client, 29 * 60)
        assert client.get("/people/").status_code == 200
        assert int(time.time()) - client.session[LAST_SEEN] < 60

    def test_the_timeout_is_configurable(self, client_for, practitioner, settings):
        from datetime import timedelta

        settings.SESSION_IDLE_TIMEOUT = timedelta(minutes=5)
        client = client_for(practitioner)
        client.get("/people/")
        self._last_seen(client, 6 * 60)
        assert client.get("/people/").status_code == 302

    def test_api_tokens_have_no_session_to_time_out(self, client, practitioner):
        _token, raw = ApiToken.issue(practitioner, "Tests")
        response = client.get("/api/v1/people", HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 200


@pytest.mark.urls("ops.tests.urls")
class TestDatabaseBusy:
    def test_a_locked_database_is_a_503_with_retry_after_not_an_error_page(self, client):
        client.raise_request_exception = False
        response = client.get("/busy/")
        assert response.status_code == 503
        assert response["Retry-After"] == "5"
        assert "the service is busy" in response.content.decode().lower()

    def test_the_api_says_the_same_in_json(self, client):
        client.raise_request_exception = False
        response = client.get("/api/busy/")
        assert response.status_code == 503
        assert response["Retry-After"] == "5"
        assert "busy" in response.json()["detail"]


def test_sqlite_locked_by_another_writer_answers_503_after_its_busy_timeout(tmp_path):
    """A real SQLite lock: another connection holds the write lock past busy_timeout (5 s)."""
    database = tmp_path / "busy.sqlite3"
    code = """
import sqlite3, django
from django.test import Client, override_settings
django.setup()
holder = sqlite3.connect(DATABASE, isolation_level=None)
holder.execute("CREATE TABLE busy_probe (value INTEGER)")
holder.execute("BEGIN IMMEDIATE")
holder.execute("INSERT INTO busy_probe (value) VALUES (0)")
client = Client(raise_request_exception=False)
plain_static = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The page's stylesheet links need no collected manifest (a clean checkout has none).
with override_settings(ROOT_URLCONF="ops.tests.urls", STORAGES=plain_static):
    response = client.get("/busy/write/")
print(response.status_code, response.get("Retry-After"))
""".replace("DATABASE", repr(str(database)))
    result = run_python(code, DATABASE_URL=f"sqlite:///{database}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["503", "5"]
