"""Daily B2C totals (10.3): one item per day, currency and category; sending the same day again
replaces it (a corrective report once its period was sent)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from coursier.kit.tenancy import TenantContext
from coursier.model.reporting import (
    VAT_ON_DEBITS_CODE,
    Category,
    DailyTransactions,
    DataKind,
    DeclarantRole,
    RateTotals,
)
from coursier.services.reporting.aggregation import B2C_DAY
from coursier.services.reporting.checks import cents, check_amounts, check_date, check_rates
from coursier.services.reporting.declarants import declarant
from coursier.services.reporting.items import Recorded, record_item


@dataclass(frozen=True)
class VatLine:
    rate: Decimal
    taxable_amount: Decimal  # excluding VAT; the margin excluding VAT for TMA1 (A7 G1.57)
    tax_amount: Decimal


def due_date_code(category: Category, vat_on_debits: bool) -> str | None:
    """TT-80: required for services when the declarant opted for VAT on debits (A7 G1.67)."""
    return VAT_ON_DEBITS_CODE if vat_on_debits and category is Category.SERVICES else None


def record_b2c_day(
    session: Session,
    ctx: TenantContext,
    *,
    day: date,
    currency: str,
    category: Category,
    vat: list[VatLine],
    count: int | None = None,
    siren: str | None = None,
) -> Recorded:
    """A day's B2C totals of one currency and category, amounts in euros."""
    check_date(day, "transactions")
    check_rates(line.rate for line in vat)
    check_amounts([amount for line in vat for amount in (line.taxable_amount, line.tax_amount)], negative_allowed=True)
    reporter = declarant(session, ctx, siren)
    vat = [VatLine(line.rate, cents(line.taxable_amount), cents(line.tax_amount)) for line in vat]
    content = DailyTransactions(
        date=day,
        currency=currency,
        tax_due_date_type_code=due_date_code(category, reporter.vat_on_debits),
        category=category,
        tax_exclusive_amount=sum(line.taxable_amount for line in vat),
        tax_total=sum(line.tax_amount for line in vat),
        count=count,
        subtotals=[
            RateTotals(rate=line.rate, taxable_amount=line.taxable_amount, tax_amount=line.tax_amount) for line in vat
        ],
    )
    return record_item(
        session,
        ctx,
        reporter,
        role=DeclarantRole.SELLER,
        kind=DataKind.TRANSACTIONS,
        item_type=B2C_DAY,
        key=f"day|{day.isoformat()}|{currency}|{category.value}",
        day=day,
        content=content.model_dump(mode="json"),
    )
