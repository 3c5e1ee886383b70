"""The sandbox's own tables, on its own metadata and database (never Coursier's).

A simulator holds nothing worth keeping across schema changes, so it has no migrations: the
tables are created with `metadata.create_all` when the app starts, and a database made for
another `SCHEMA_VERSION` is emptied first (every table dropped).
"""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Sequence,
    String,
    Table,
    Text,
    create_engine,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import make_url

from coursier.sandbox.config import SandboxConfig

SANDBOX_DATABASE_NAME = "coursier_sandbox"
# Raised at every change of the tables below.
SCHEMA_VERSION = 2

metadata = MetaData()

schema_version = Table("sandbox_schema", metadata, Column("version", Integer, nullable=False))

# The register the directory is built on (DG §3.5.3): legal units (SIREN) and establishments
# (SIRET). `instance_id` is the idInstance the directory API shows; `defined_at` its dateDefinition.
companies = Table(
    "companies",
    metadata,
    Column("siren", String(9), primary_key=True),
    Column("instance_id", Integer, Identity(), unique=True, nullable=False),
    Column("legal_name", String(200), nullable=False),
    # Lower case without accents, so a name search ignores both.
    Column("search_name", String(200), nullable=False, index=True),
    Column("status", String(1), nullable=False),  # A active, C ceased
    Column("defined_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

establishments = Table(
    "establishments",
    metadata,
    Column("siret", String(14), primary_key=True),
    Column("instance_id", Integer, Identity(), unique=True, nullable=False),
    Column("siren", String(9), ForeignKey("companies.siren"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("line1", String(200), nullable=False),
    Column("postal_code", String(10), nullable=False),
    Column("city", String(100), nullable=False),
    Column("country_code", String(2), nullable=False),
    Column("administrative_status", String(1), nullable=False),  # A active, F closed
    Column("head_office", Boolean, nullable=False),
    Column("defined_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# Routing codes (code routage, identifier type 0224) a PA declares for an establishment.
routing_codes = Table(
    "routing_codes",
    metadata,
    Column("instance_id", Integer, Identity(), primary_key=True),
    Column("siret", String(14), ForeignKey("establishments.siret"), nullable=False),
    Column("routing_code", String(100), nullable=False),
    Column("label", String(100), nullable=False),
    Column("nature", String(6), nullable=False),  # Privé / Public
    Column("legal_commitment_management", Boolean, nullable=False),
    Column("administrative_status", String(1), nullable=False),  # A active, F closed
    Column("address", JSON),  # adresseWrite, as given
    Column("created_by", String(100), nullable=False),
    Column("defined_at", DateTime(timezone=True), nullable=False),
    Index("one_routing_code_per_siret", "siret", "routing_code", unique=True),
)

# One row per instance (idInstance) of a directory line: a change records a new instance and marks
# the previous one superseded, so the history of every line stays readable and nothing is deleted.
# `line_id` (from `line_sequence`) ties the instances of one line together; it is not shown.
line_sequence = Sequence("directory_line_sequence", metadata=metadata)
directory_lines = Table(
    "directory_lines",
    metadata,
    Column("instance_id", Integer, Identity(), primary_key=True),
    Column("line_id", Integer, nullable=False),
    # identifiantAdressage: SIREN, SIREN_SIRET, SIREN_SIRET_ROUTINGCODE or SIREN_SUFFIX.
    Column("address", String(125), nullable=False, index=True),
    Column("siren", String(9), nullable=False, index=True),
    Column("siret", String(14)),
    Column("routing_code", String(100)),
    Column("suffix", String(100)),
    Column("platform_id", String(4), nullable=False),
    Column("effective_from", Date, nullable=False),  # dateDebutEffet
    Column("effective_to", Date),  # dateFinEffet: the first day the line no longer applies
    Column("masked", Boolean, nullable=False),  # nature M (masquage) when true, D (définition) else
    Column("created_by", String(100), nullable=False),  # creePar
    Column("defined_at", DateTime(timezone=True), nullable=False, index=True),  # dateDefinition
    Column("superseded_at", DateTime(timezone=True)),
    Index("one_current_instance_per_line", "line_id", unique=True, postgresql_where=text("superseded_at IS NULL")),
)

# Access tokens the sandbox's PISTE token endpoint issued (kept as their SHA-256).
access_tokens = Table(
    "access_tokens",
    metadata,
    Column("token_sha256", String(64), primary_key=True),
    Column("client_id", String(200), nullable=False),
    Column("matricule", String(4), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
)

# The F14 exports of the directory made so far (DG §3.5.4): a differential one covers the line
# instances defined since the end of the previous differential one.
directory_exports = Table(
    "directory_exports",
    metadata,
    Column("export_id", Integer, Identity(), primary_key=True),
    Column("kind", String(20), nullable=False),  # differential / full
    Column("since", DateTime(timezone=True)),
    Column("until", DateTime(timezone=True), nullable=False),
    Column("line_count", Integer, nullable=False),
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

# The mandatory statuses (F6) the PPF accepted, one row per status message: a message id is held
# once per platform (a repeat in another flow is answered 601 REJ_INC).
held_statuses = Table(
    "held_statuses",
    metadata,
    Column("platform_id", String(4), primary_key=True),  # the platform that reported it
    Column("message_id", String(200), primary_key=True),  # MDT-4
    Column("flow_id", String(255), nullable=False),
    Column("seller_siren", String(9), nullable=False),
    Column("invoice_number", String(200), nullable=False),
    Column("invoice_date", Date, nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("amounts", JSON, nullable=False),  # [{"type", "vat_rate", "amount", "currency"}]
    Column("content", LargeBinary, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Index("held_statuses_invoice", "seller_siren", "invoice_number"),
)

# What platforms deliver to one another through the sandbox standing for the PA-to-PA network:
# invoices, and lifecycle messages (CDAR) about them. A sender delivers a document once: (sender,
# kind, invoice_id) is its idempotency key, `invoice_id` being the status message's id for a status.
peer_messages = Table(
    "peer_messages",
    metadata,
    Column("delivery_id", String(40), primary_key=True),
    Column("sender_platform_id", String(4), nullable=False),
    Column("kind", String(8), nullable=False),  # invoice | status
    Column("invoice_id", String(200), nullable=False),
    Column("platform_id", String(4), nullable=False, index=True),  # the receiving platform
    Column("filename", String(255), nullable=False),
    Column("media_type", String(255), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("content_sha256", String(64), nullable=False),
    Column("accepted_at", DateTime(timezone=True), nullable=False),
    Index("one_delivery_per_sender_document", "sender_platform_id", "kind", "invoice_id", unique=True),
)

# The e-reporting transmissions (F10) the PPF accepted (300), with what they declare: a corrective
# one (RE) replaces all the data held for its declarant, role, kind and period (DG §3.7.7).
ereporting_transmissions = Table(
    "ereporting_transmissions",
    metadata,
    Column("row_id", Integer, primary_key=True, autoincrement=True),
    Column("transmission_id", String(50), nullable=False),
    Column("platform_id", String(4), nullable=False),
    Column("declarant_siren", String(9), nullable=False),
    Column("role", String(2), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("type_code", String(2), nullable=False),
    Column("report", JSON, nullable=False),
    Column("accepted_at", DateTime(timezone=True), nullable=False),
    Column("replaced_at", DateTime(timezone=True)),
    # Uniqueness: transmission id + declarant SIREN + period (DG §3.7.8 note 131, A7 G8.05).
    Index(
        "one_transmission_per_id_declarant_period",
        "transmission_id",
        "declarant_siren",
        "period_start",
        "period_end",
        unique=True,
    ),
    Index("held_ereporting_data", "declarant_siren", "role", "kind", "period_start"),
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
    with engine.begin() as conn:
        # One starter at a time: two processes starting on one database would race the DDL.
        conn.execute(select(func.pg_advisory_xact_lock(func.hashtext("coursier-sandbox-schema"))))
        if _stored_version(conn) != SCHEMA_VERSION:
            # Only the sandbox's own tables, of this version and of earlier ones, are dropped.
            conn.execute(text(f"DROP TABLE IF EXISTS {', '.join(_RETIRED_TABLES)} CASCADE"))
            metadata.drop_all(conn)
            metadata.create_all(conn)
            conn.execute(schema_version.insert().values(version=SCHEMA_VERSION))
    return engine


_RETIRED_TABLES = ("directory_line_instances",)


def _stored_version(conn) -> int | None:
    if not inspect(conn).has_table(schema_version.name):
        return None
    return conn.execute(select(schema_version.c.version)).scalar()
