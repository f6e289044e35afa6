"""Fold IngredientAlias rows into Ingredient.name search synonyms.

Aliases turned out to be a worse version of the trigram search we add in 0007.
Every alias becomes a plain Ingredient only if no ingredient already has that
name; recipes keep pointing at the canonical ingredient.
"""
from django.db import migrations


def fold_aliases_into_ingredients(apps, schema_editor):
    Ingredient = apps.get_model("recipes", "Ingredient")
    IngredientAlias = apps.get_model("recipes", "IngredientAlias")
    existing = set(Ingredient.objects.values_list("name", flat=True))
    new = []
    for alias in IngredientAlias.objects.all().iterator():
        if alias.alias not in existing:
            new.append(Ingredient(name=alias.alias))
            existing.add(alias.alias)
    Ingredient.objects.bulk_create(new, batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("recipes", "0005_remove_recipe_legacy_rating_and_more"),
    ]

    operations = [
        migrations.RunPython(fold_aliases_into_ingredients),  # expect: MIGRATION
        migrations.DeleteModel(  # expect: MIGRATION
            name="IngredientAlias",
        ),
    ]
