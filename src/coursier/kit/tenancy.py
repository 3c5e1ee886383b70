"""Who is calling: the one value every tenant-scoped read and write starts from."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TenantContext:
    """A sponsor, seen through one of its tokens, optionally acting for one of its clients.

    Built once per request by the API's auth dependency (and rebuilt by jobs from the ids they
    carry); never from a request body.
    """

    sponsor_id: str
    token_id: str | None = None
    client_id: str | None = None

    def for_client(self, client_id: str) -> "TenantContext":
        return TenantContext(sponsor_id=self.sponsor_id, token_id=self.token_id, client_id=client_id)
