"""Constrain invoice status and line quantities.

invoice.status: added NOT VALID first so the ALTER only takes a short lock,
then validated separately (VALIDATE only needs SHARE UPDATE EXCLUSIVE).
"""
from django.db import migrations, models

STATUS_CHECK = (
    "ALTER TABLE billing_invoice ADD CONSTRAINT billing_invoice_status_valid "
    "CHECK (status IN ('draft', 'issued', 'paid', 'void')) NOT VALID"
)


class Migration(migrations.Migration):

    dependencies = [
        ("billing", "0002_invoice_currency_due_date"),
    ]

    operations = [
        migrations.RunSQL(  # ok: ZDM
            sql=STATUS_CHECK,
            reverse_sql="ALTER TABLE billing_invoice DROP CONSTRAINT billing_invoice_status_valid",
        ),
        migrations.RunSQL(  # ok: MIGRATION
            "ALTER TABLE billing_invoice VALIDATE CONSTRAINT billing_invoice_status_valid",
            migrations.RunSQL.noop,
        ),
        # Zero-quantity lines were a UI bug (BILL-52); they never reached a PDF.
        migrations.RunSQL(  # ok: MIGRATION
            "DELETE FROM billing_lineitem WHERE quantity <= 0",
            reverse_sql=migrations.RunSQL.noop,
        ),
        # Rendered PDFs are cached by content hash and get rebuilt on demand.
        migrations.RunSQL(  # expect: MIGRATION
            "TRUNCATE billing_invoice_pdf_cache",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AddConstraint(  # expect: ZDM
            model_name="lineitem",
            constraint=models.CheckConstraint(check=models.Q(("quantity__gt", 0)), name="lineitem_quantity_positive"),
        ),
    ]
