# Patient lookup by email for the front desk. Both indexes are built
# concurrently, so this migration must not run in a transaction.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):

    atomic = False

    dependencies = [
        ("appointments", "0003_appointment_room_and_more"),
    ]

    operations = [
        migrations.RunSQL(  # ok: ZDM
            sql="CREATE INDEX CONCURRENTLY IF NOT EXISTS appointment_email_lower_idx "
            "ON appointments_appointment (lower(patient_email))",
            reverse_sql="DROP INDEX CONCURRENTLY IF EXISTS appointment_email_lower_idx",
        ),
        AddIndexConcurrently(  # ok: ZDM
            model_name="appointment",
            index=models.Index(fields=["external_id"], name="appointment_external_id_idx"),
        ),
    ]
