"""Sessions kept in the database, read by one plain statement (core.rows).

Not cached_db: the only cache here is each process's own memory (LocMemCache), and a session
signed out in one web process would live on in another's cache until it expired. A shared
cache (Redis, memcached) would make cached_db safe; until the council runs one, the database
is the one place a sign-out is seen by every process at once.
"""

from django.contrib.sessions.backends import db
from django.utils import timezone

from core.rows import get_row


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        session = get_row(
            self.model,
            equal={"session_key": self.session_key},
            greater={"expire_date": timezone.now()},
        )
        if session is None:
            self._session_key = None
        return session
