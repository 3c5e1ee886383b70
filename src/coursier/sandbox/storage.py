"""The sandbox's own tables, on its own metadata and database (never Coursier's).

A simulator holds nothing worth keeping across schema changes, so it has no migrations: the
tables are created with `metadata.create_all` when the app starts, and a changed schema is
applied by dropping the sandbox database.
"""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Sequence,
    String,
    Table,
    Text,
    create_engine,
    text,
)
from sqlalchemy.engine import make_url

from coursier.sandbox.config import SandboxConfig

SANDBOX_DATABASE_NAME = "coursier_sandbox"

metadata = MetaData()

companies = Table(
    "companies",
    metadata,
    Column("siren", String(9), primary_key=True),
    Column("legal_name", String(200), nullable=False),
    # Lower case without accents, so a name search ignores both.
    Column("search_name", String(200), nullable=False, index=True),
    Column("status", String(1), nullable=False),  # A active, C ceased
)

establishments = Table(
    "establishments",
    metadata,
    Column("siret", String(14), primary_key=True),
    Column("siren", String(9), ForeignKey("companies.siren"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("line1", String(200), nullable=False),
    Column("postal_code", String(10), nullable=False),
    Column("city", String(100), nullable=False),
    Column("country_code", String(2), nullable=False),
    Column("administrative_status", String(1), nullable=False),  # A active, F closed
    Column("head_office", Boolean, nullable=False),
)

routing_codes = Table(
    "routing_codes",
    metadata,
    Column("siret", String(14), ForeignKey("establishments.siret"), primary_key=True),
    Column("routing_code", String(100), primary_key=True),
    Column("label", String(200), nullable=False),
    Column("legal_commitment_management", Boolean, nullable=False),
    Column("platform_id", String(4), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# One row per instance (version) of a directory line: a change records a new instance and marks
# the previous one superseded, so the history of every line stays readable and nothing is deleted.
directory_line_instances = Table(
    "directory_line_instances",
    metadata,
    Column("instance_id", Integer, primary_key=True, autoincrement=True),
    Column("line_id", String(40), nullable=False),
    Column("siren", String(9), nullable=False, index=True),
    Column("siret", String(14)),
    Column("routing_code", String(100)),
    Column("suffix", String(35)),
    # The electronic address the line answers for (SIREN, SIREN_SIRET, ...): its addressing key.
    Column("address", String(160), nullable=False, index=True),
    Column("platform_id", String(4), nullable=False),
    Column("effective_from", Date, nullable=False),
    Column("effective_to", Date),  # exclusive: the first day the line no longer applies
    Column("line_created_at", DateTime(timezone=True), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("superseded_at", DateTime(timezone=True)),
    Index(
        "one_current_instance_per_line",
        "line_id",
        unique=True,
        postgresql_where=text("superseded_at IS NULL"),
    ),
)

# The PPF's own application code at its exchange system (DG §3.4.5 gives PPF001 in its examples).
PPF_APPLICATION_CODE = "PPF001"

# Every flow a partner deposited (DG §3.4): a flow id is received once per partner.
received_flows = Table(
    "received_flows",
    metadata,
    Column("application_code", String(6), primary_key=True),
    Column("flow_id", String(255), primary_key=True),  # the envelope's name when it has none
    Column("envelope_name", String(255), nullable=False),
    Column("interface", String(8), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("status_code", Integer, nullable=False),  # 500 / 501
    Column("reasons", JSON, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)

# The sequence of the flows the sandbox sends (their flow ids, DG §3.4.5).
answer_sequence = Sequence("sandbox_flow_sequence", metadata=metadata)

# What platforms deliver to one another through the sandbox standing for the PA-to-PA network.
# A sender delivers an invoice once: (sender, invoice_id) is its idempotency key.
peer_messages = Table(
    "peer_messages",
    metadata,
    Column("delivery_id", String(40), primary_key=True),
    Column("sender_platform_id", String(4), nullable=False),
    Column("invoice_id", String(200), nullable=False),
    Column("platform_id", String(4), nullable=False, index=True),  # the receiving platform
    Column("filename", String(255), nullable=False),
    Column("media_type", String(255), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("content_sha256", String(64), nullable=False),
    Column("accepted_at", DateTime(timezone=True), nullable=False),
    Index("one_delivery_per_sender_invoice", "sender_platform_id", "invoice_id", unique=True),
)

# The local SMP: where each participant receives, as the platform serving it published it.
smp_participants = Table(
    "smp_participants",
    metadata,
    Column("participant_id", String(200), primary_key=True),  # lower case: Peppol ids ignore case
    Column("platform_id", String(4), nullable=False),
    Column("endpoint_url", String(500), nullable=False),
    Column("certificate", Text, nullable=False),  # base64 DER
    Column("document_types", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

mails = Table(
    "mails",
    metadata,
    Column("mail_id", String(40), primary_key=True),
    Column("platform_id", String(4), nullable=False),
    Column("recipient", String(320), nullable=False, index=True),
    Column("subject", String(998), nullable=False),
    Column("text", Text, nullable=False),
    Column("html", Text),
    Column("sent_at", DateTime(timezone=True), nullable=False),
)


def database_url(config: SandboxConfig) -> str:
    """The configured URL, else database `coursier_sandbox` on the embedded cluster of the data dir."""
    from coursier.kit.embedded import ensure_database, normalise_url, start_embedded

    if config.database_url:
        return normalise_url(config.database_url)
    coursier_url = make_url(start_embedded(config.data_dir))
    ensure_database(coursier_url, SANDBOX_DATABASE_NAME)
    return coursier_url.set(database=SANDBOX_DATABASE_NAME).render_as_string(hide_password=False)


def open_database(config: SandboxConfig) -> Engine:
    engine = create_engine(database_url(config), pool_size=5, max_overflow=5, pool_pre_ping=True)
    metadata.create_all(engine)
    return engine
