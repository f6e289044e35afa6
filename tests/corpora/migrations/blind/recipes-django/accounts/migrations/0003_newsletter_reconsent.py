"""Newsletter re-consent (legal ticket LEG-42).

After the 2023 consent audit every user has to opt in again. The previous state
is archived first so that the reverse migration can restore it.
"""
from django.db import migrations, models


def archive_consents(apps, schema_editor):
    Profile = apps.get_model("accounts", "Profile")
    Archive = apps.get_model("accounts", "NewsletterConsentArchive")
    rows = [
        Archive(user_id=user_id, opted_in=opted_in)
        for user_id, opted_in in Profile.objects.values_list("user_id", "newsletter_opt_in").iterator()
    ]
    Archive.objects.bulk_create(rows, batch_size=2000)


def restore_consents(apps, schema_editor):
    Profile = apps.get_model("accounts", "Profile")
    Archive = apps.get_model("accounts", "NewsletterConsentArchive")
    for row in Archive.objects.filter(opted_in=True).iterator():
        Profile.objects.filter(user_id=row.user_id).update(newsletter_opt_in=True)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_profile_display_name_and_more"),
    ]

    operations = [
        migrations.CreateModel(
            name="NewsletterConsentArchive",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("user_id", models.IntegerField(db_index=True)),
                ("opted_in", models.BooleanField()),
                ("archived_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.RunPython(archive_consents, reverse_code=restore_consents),  # ok: MIGRATION
        migrations.RunSQL(  # expect: MIGRATION
            "UPDATE accounts_profile SET newsletter_opt_in = false",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
