from django.test import Client


def test_healthz_says_ok_without_touching_the_database(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_database_and_migrations_ready(client: Client, db: None) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}


def test_healthz_reads_no_session_or_user_when_signed_in(
    client_for, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    """A probe asked with a staff session costs no query (decision 0012)."""
    from clearsight.access.roles import Role

    client = client_for(Role.POLICE_OFFICER)
    with django_assert_max_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
