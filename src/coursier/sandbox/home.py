"""The sandbox's home page, for people: what it is, the platforms it knows, its companies page by
page with their SIREN and SIRET, and the way to the mailbox and the API documentation."""

from collections.abc import Iterable

from jinja2 import Environment, PackageLoader
from sqlalchemy import Connection

from coursier.sandbox import register

COMPANIES_PER_PAGE = 50

_templates = Environment(
    loader=PackageLoader("coursier.sandbox", "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True
)


def home_page(conn: Connection, matricules: Iterable[str], page: int) -> str:
    """The HTML of page `page` (from 1) of the register; past the last one, a page with no company."""
    total = register.count_companies(conn)
    return _templates.get_template("home.html.j2").render(
        platforms=sorted(set(matricules)),
        total=total,
        page=page,
        pages=max(1, -(-total // COMPANIES_PER_PAGE)),
        companies=register.list_companies(conn, offset=(page - 1) * COMPANIES_PER_PAGE, limit=COMPANIES_PER_PAGE),
    )
