"""Move free-text notes to their own table (one appointment, many notes).

The old column stays in the database for one release so that the previous app
version keeps working during the rollout; only Django's state forgets it here.
The column itself is dropped in 0006.
"""
import django.db.models.deletion
from django.db import migrations, models


def copy_notes(apps, schema_editor):
    Appointment = apps.get_model("appointments", "Appointment")
    AppointmentNote = apps.get_model("appointments", "AppointmentNote")
    notes = [
        AppointmentNote(appointment_id=pk, body=text)
        for pk, text in Appointment.objects.exclude(notes="").values_list("pk", "notes").iterator()
    ]
    AppointmentNote.objects.bulk_create(notes, batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("appointments", "0004_appointment_patient_email_idx"),
    ]

    operations = [
        migrations.CreateModel(
            name="AppointmentNote",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("body", models.TextField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "appointment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="note_set",
                        to="appointments.appointment",
                    ),
                ),
            ],
        ),
        migrations.RunPython(copy_notes, migrations.RunPython.noop),  # ok: MIGRATION
        # Appointments nobody closed before the notes feature; needed for the
        # "open appointments" badge, which now comes from status.
        migrations.RunSQL(  # expect: MIGRATION
            "UPDATE appointments_appointment SET status = 'done' "
            "WHERE status = 'booked' AND ends_at < now() - interval '1 day'"
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(  # ok: MIGRATION
                    model_name="appointment",
                    name="notes",
                ),
            ],
            database_operations=[],
        ),
    ]
