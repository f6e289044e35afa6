# Contract step for 0005: every app server is on 2.9+, nobody reads
# appointments_appointment.notes any more.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("appointments", "0005_appointmentnote"),
    ]

    operations = [
        migrations.RunSQL(  # expect: MIGRATION
            sql="ALTER TABLE appointments_appointment DROP COLUMN notes",
            reverse_sql="ALTER TABLE appointments_appointment ADD COLUMN notes text NOT NULL DEFAULT ''",
        ),
        # Leftover from the 2019 SMS reminder prototype, never had a model.
        migrations.RunSQL("DROP TABLE IF EXISTS appointments_reminder_legacy"),  # expect: MIGRATION, MIGRATION
    ]
