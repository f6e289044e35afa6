# Multi-currency invoices and due dates (BILL-31, BILL-34).
#
# Due dates: 30 days after issue for everybody except insurers, who get 60.

import datetime

from django.db import migrations, models

INSURER_PREFIX = "INS-"


def set_due_dates(apps, schema_editor):
    Invoice = apps.get_model("billing", "Invoice")
    for invoice in Invoice.objects.filter(issued_at__isnull=False, due_date__isnull=True).iterator():
        days = 60 if invoice.number.startswith(INSURER_PREFIX) else 30
        invoice.due_date = (invoice.issued_at + datetime.timedelta(days=days)).date()
        invoice.save(update_fields=["due_date"])


def normalise_status(apps, schema_editor):
    Invoice = apps.get_model("billing", "Invoice")
    Invoice.objects.filter(status__in=["Draft", "DRAFT"]).update(status="draft")
    Invoice.objects.filter(status__in=["Paid", "PAID"]).update(status="paid")


def swiss_invoices_in_chf(apps, schema_editor):
    Invoice = apps.get_model("billing", "Invoice")
    Invoice.objects.filter(number__startswith="CH-").update(currency="CHF")


class Migration(migrations.Migration):

    dependencies = [
        ("billing", "0001_initial"),
    ]

    operations = [
        migrations.AddField(  # ok: ZDM
            model_name="invoice",
            name="currency",
            field=models.CharField(default="EUR", max_length=3),
        ),
        migrations.AlterField(  # expect: ZDM
            model_name="invoice",
            name="amount_cents",
            field=models.BigIntegerField(),
        ),
        migrations.AddField(  # ok: ZDM
            model_name="invoice",
            name="due_date",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(set_due_dates),  # expect: MIGRATION
        migrations.RunPython(normalise_status, elidable=True),  # expect: MIGRATION
        migrations.RunPython(  # ok: MIGRATION
            code=swiss_invoices_in_chf,
            reverse_code=migrations.RunPython.noop,
        ),
    ]
