"""Runtime configuration, read once from the environment and `.env` (pydantic-settings)."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from coursier.kit.embedded import default_data_dir


class Settings(BaseSettings):
    # Code and tests set fields by name; the environment uses the aliases.
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", validate_by_name=True, validate_by_alias=True
    )

    database_url: str | None = Field(
        default=None,
        description="PostgreSQL URL. Unset: a private PostgreSQL is started in the data dir.",
    )
    data_dir: Path = Field(
        default_factory=default_data_dir,
        validation_alias="COURSIER_DATA_DIR",
        description="Where the embedded PostgreSQL cluster and stored files live.",
    )
    secret_keys: SecretStr | None = Field(
        default=None,
        validation_alias="COURSIER_SECRET_KEYS",
        description="Comma-separated Fernet keys sealing the secrets kept in the database (webhook signing "
        "secrets, TOTP seeds): the first seals, all unseal. Unset: DATA_DIR/secret.key, made once.",
    )
    host: str = Field(default="127.0.0.1", validation_alias="COURSIER_HOST")
    port: int = Field(default=8052, validation_alias="PORT")
    log_level: str = Field(default="INFO", validation_alias="COURSIER_LOG_LEVEL")
    public_url: str | None = Field(
        default=None,
        validation_alias="COURSIER_PUBLIC_URL",
        description="Base URL users reach the server at (links in onboarding e-mails). Default: http://HOST:PORT.",
    )
    worker_concurrency: int = Field(default=4, validation_alias="COURSIER_WORKER_CONCURRENCY")
    idempotency_ttl_hours: int = Field(default=24, validation_alias="COURSIER_IDEMPOTENCY_TTL_HOURS")
    usage_flush_seconds: float = Field(default=2.0, validation_alias="COURSIER_USAGE_FLUSH_SECONDS")
    db_pool_size: int = Field(default=10, validation_alias="COURSIER_DB_POOL_SIZE")
    db_queue_seconds: float = Field(
        default=10.0,
        validation_alias="COURSIER_DB_QUEUE_SECONDS",
        description="How long a request waits for a database connection before a 503.",
    )
    max_json_bytes: int = Field(
        default=5 * 1024 * 1024,
        validation_alias="COURSIER_MAX_JSON_BYTES",
        description="Largest request body that is not an upload (uploads have their own limit).",
    )
    cpu_task_seconds: float = Field(
        default=30.0,
        validation_alias="COURSIER_CPU_TASK_SECONDS",
        description="Longest a validation, draft report or PDF rendering may run before it is stopped.",
    )
    batch_max_files: int = Field(
        default=1000,
        validation_alias="COURSIER_BATCH_MAX_FILES",
        description="Most files one bulk deposit (POST /api/invoicing/files/submit-batch) may carry, a zip's included.",
    )
    batch_max_bytes: int = Field(
        default=100 * 1024 * 1024,
        validation_alias="COURSIER_BATCH_MAX_BYTES",
        description="Largest bulk deposit request, and most bytes a zip it carries may decompress to.",
    )
    auth_cache_seconds: float = Field(
        default=5.0,
        validation_alias="COURSIER_AUTH_CACHE_SECONDS",
        description="How long a process keeps who a token is and that a client exists; a token revoked or a "
        "client deleted by another process is seen within this time (by this one at once). 0 = not kept.",
    )
    max_header_count: int = Field(default=100, validation_alias="COURSIER_MAX_HEADER_COUNT")
    max_header_bytes: int = Field(default=16 * 1024, validation_alias="COURSIER_MAX_HEADER_BYTES")
    rate_limit_per_minute: int = Field(
        default=1200, validation_alias="COURSIER_RATE_LIMIT_PER_MINUTE", description="API calls per sponsor; 0 = off."
    )
    rate_limit_per_hour: int = Field(default=30_000, validation_alias="COURSIER_RATE_LIMIT_PER_HOUR")
    rate_limit_per_day: int = Field(default=300_000, validation_alias="COURSIER_RATE_LIMIT_PER_DAY")
    rate_limit_sync_seconds: float = Field(
        default=1.0,
        validation_alias="COURSIER_RATE_LIMIT_SYNC_SECONDS",
        description="How often a process adds its counts to the shared ones and reads the others'.",
    )
    heavy_requests_per_sponsor: int = Field(
        default=4,
        validation_alias="COURSIER_HEAVY_REQUESTS_PER_SPONSOR",
        description="Uploads, draft finalizations and PDF renderings a sponsor may run at once; 0 = no cap.",
    )
    ppf_url: str = Field(
        default="http://127.0.0.1:8060",
        validation_alias="PPF_URL",
        description="The PPF sandbox; the directory API and PISTE's token endpoint are found there unless "
        "PPF_DIRECTORY_URL and PPF_OAUTH_TOKEN_URL say otherwise.",
    )
    ppf_token: str = Field(
        default="sandbox-token",
        validation_alias="PPF_TOKEN",
        description="This platform's token at the sandbox, for its own extras (network between platforms, mailbox).",
    )
    ppf_directory_url: str | None = Field(
        default=None,
        validation_alias="PPF_DIRECTORY_URL",
        description="The PPF's directory API (PPF-DIR 1.11.0 gives "
        "https://aife.economie.gouv.fr/ppf/annuaire-public/v1). Unset: PPF_URL/ppf/annuaire-public/v1, the sandbox's.",
    )
    ppf_oauth_token_url: str | None = Field(
        default=None,
        validation_alias="PPF_OAUTH_TOKEN_URL",
        description="PISTE's token endpoint (https://oauth.piste.gouv.fr/api/oauth/token). "
        "Unset: PPF_URL/api/oauth/token, the sandbox's.",
    )
    ppf_client_id: str = Field(default="coursier-0042", validation_alias="PPF_CLIENT_ID")
    ppf_client_secret: str = Field(default="sandbox-secret", validation_alias="PPF_CLIENT_SECRET")
    ppf_line_notice_days: int = Field(
        default=1,
        ge=0,
        validation_alias="COURSIER_PPF_LINE_NOTICE_DAYS",
        description="Days ahead a directory line starts or ends at the earliest: 1, as annex 7 G1.87 and G1.88 "
        "say (J+1); 0 only against a sandbox started with --line-notice-days 0.",
    )
    ppf_timeout_seconds: float = Field(default=10.0, validation_alias="PPF_TIMEOUT_SECONDS")
    pa_matricule: str = Field(
        default="0042",
        validation_alias="COURSIER_PA_MATRICULE",
        pattern=r"^[A-Za-z0-9]{4}$",
        description="This platform's PA registration number (ICD 0238).",
    )
    ppf_matricule: str = Field(
        default="9998",
        validation_alias="COURSIER_PPF_MATRICULE",
        pattern=r"^\d{4}$",
        description="The PPF's matricule in status messages (A7 G1.112: 9998; the FNFE BR-FR-CDV schematron still "
        "expects 0000, and validation reports say which one a finding concerns).",
    )
    ppf_application_code: str = Field(
        default="CRS042",
        validation_alias="COURSIER_PPF_APPLICATION_CODE",
        pattern=r"^[A-Z0-9]{6}$",
        description="Our application code at the PPF's exchange system: envelope names and flow ids (DG §3.4.5).",
    )
    ppf_batch_seconds: float = Field(
        default=3600.0,
        ge=0,
        le=23 * 3600,
        validation_alias="COURSIER_PPF_BATCH_SECONDS",
        description="A flow leaves once the last one of its interface left this long ago, or when full (DG §3.4.6); "
        "at most 23 h, as F1 and the mandatory statuses reach the PPF within 24 h (DG §3.6.5, §3.6.6).",
    )
    ppf_flows_per_hour: int = Field(
        default=1000,
        ge=1,
        validation_alias="COURSIER_PPF_FLOWS_PER_HOUR",
        description="Flows deposited at the PPF in any hour, at most (DG §3.4.6); the others wait.",
    )
    ppf_sftp_host: str = Field(default="127.0.0.1", validation_alias="PPF_SFTP_HOST")
    ppf_sftp_port: int = Field(default=8061, validation_alias="PPF_SFTP_PORT")
    ppf_sftp_key: Path | None = Field(
        default=None,
        validation_alias="PPF_SFTP_KEY",
        description="Our private SSH key for the PPF's SFTP server. Unset: DATA_DIR/ppf/sftp_key, made if missing.",
    )
    ppf_sftp_host_key: str | None = Field(
        default=None,
        validation_alias="PPF_SFTP_HOST_KEY",
        description="The SFTP server's public host key (OpenSSH line), pinned. Unset: the key of the sandbox of "
        "the data dir (DATA_DIR/sandbox/sftp/host_key.pub).",
    )
    ppf_sftp_deposit_dir: str = Field(default="in", validation_alias="PPF_SFTP_DEPOSIT_DIR")
    ppf_sftp_collect_dir: str = Field(default="out", validation_alias="PPF_SFTP_COLLECT_DIR")
    directory_cache_seconds: int = Field(default=60, validation_alias="COURSIER_DIRECTORY_CACHE_SECONDS")
    validation_shadow_share: float = Field(
        default=0.05,
        ge=0.0,
        le=1.0,
        validation_alias="COURSIER_VALIDATION_SHADOW_SHARE",
        description="Share of deposits validated again by the official artefacts in the background (0 to 1).",
    )
    ppf_retry_attempts: int = Field(
        default=14,
        ge=1,
        le=14,
        validation_alias="COURSIER_PPF_RETRY_ATTEMPTS",
        description="Attempts of a job calling another system (the PPF, a peer platform, the SMP) before it "
        "gives up and records the failure; waits double from 2 s (14: about 4.5 hours in all).",
    )
    peer_transport: Literal["sandbox", "as4"] = Field(
        default="sandbox",
        validation_alias="COURSIER_PEER_TRANSPORT",
        description="How invoices reach the other platforms: the sandbox's store-and-forward network, or "
        "Peppol AS4 (look-up through the SMP, signed and encrypted messages, signed receipts).",
    )
    as4_key_file: Path | None = Field(
        default=None, validation_alias="COURSIER_AS4_KEY", description="This platform's AS4 private key (PEM)."
    )
    as4_certificate_file: Path | None = Field(
        default=None,
        validation_alias="COURSIER_AS4_CERTIFICATE",
        description="This platform's AS4 certificate (PEM); its common name is the platform's AS4 party id.",
    )
    as4_trust_anchors_file: Path | None = Field(
        default=None,
        validation_alias="COURSIER_AS4_TRUST_ANCHORS",
        description="The CA certificates (PEM) the other platforms' certificates must chain to.",
    )
    as4_endpoint_url: str | None = Field(
        default=None,
        validation_alias="COURSIER_AS4_ENDPOINT_URL",
        description="The address other platforms send AS4 messages to, as published in the SMP. "
        "Default: the public URL + /as4.",
    )
    as4_max_payload_bytes: int = Field(
        default=32 * 1024 * 1024,
        validation_alias="COURSIER_AS4_MAX_PAYLOAD_BYTES",
        description="Largest AS4 payload accepted once decompressed (the business document and its envelope).",
    )
    as4_timeout_seconds: float = Field(default=60.0, validation_alias="COURSIER_AS4_TIMEOUT_SECONDS")
    smp_url: str | None = Field(
        default=None,
        validation_alias="COURSIER_SMP_URL",
        description="The SMP asked for every participant, and where this platform publishes its own "
        "(a local SMP: the sandbox's /smp). Unset: the SML of COURSIER_SML_ZONE names each participant's SMP.",
    )
    smp_trust_anchors_file: Path | None = Field(
        default=None,
        validation_alias="COURSIER_SMP_TRUST_ANCHORS",
        description="The CA certificates (PEM) the SMPs' signing certificates must chain to (Peppol's SMP CA): "
        "an SMP answer not signed by one is not used. Required with COURSIER_PEER_TRANSPORT=as4.",
    )
    sml_zone: str | None = Field(
        default=None,
        validation_alias="COURSIER_SML_ZONE",
        description="The SML's DNS zone: a participant's SMP is found by a U-NAPTR look-up under it.",
    )
    smtp_host: str | None = Field(
        default=None,
        validation_alias="SMTP_HOST",
        description="Mail server for onboarding e-mails. Unset: e-mails are logged and "
        "dropped in the sandbox mailbox (development).",
    )
    smtp_port: int = Field(default=587, validation_alias="SMTP_PORT")
    smtp_starttls: bool = Field(default=True, validation_alias="SMTP_STARTTLS")
    smtp_username: str | None = Field(default=None, validation_alias="SMTP_USERNAME")
    smtp_password: str | None = Field(default=None, validation_alias="SMTP_PASSWORD")
    smtp_timeout_seconds: float = Field(default=15.0, validation_alias="SMTP_TIMEOUT_SECONDS")
    webhook_allow_private: bool = Field(
        default=False,
        validation_alias="COURSIER_WEBHOOK_ALLOW_PRIVATE",
        description="Let webhook endpoints be on private, link-local and loopback addresses (development, "
        "tests); refused otherwise, at registration and at each delivery.",
    )
    mail_from: str = Field(
        default="Coursier <no-reply@coursier.invalid>",
        validation_alias="COURSIER_MAIL_FROM",
        description="The From address of the e-mails the platform sends.",
    )

    @property
    def base_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"

    @property
    def directory_url(self) -> str:
        return self.ppf_directory_url or self.ppf_url.rstrip("/") + "/ppf/annuaire-public/v1"

    @property
    def oauth_token_url(self) -> str:
        return self.ppf_oauth_token_url or self.ppf_url.rstrip("/") + "/api/oauth/token"

    @property
    def as4_public_endpoint(self) -> str:
        return self.as4_endpoint_url or self.base_url.rstrip("/") + "/as4"


@lru_cache
def get_settings() -> Settings:
    return Settings()
