"""Joins the design migrations of session 20's slices (configuration, import, risk,
items), each made from 0011 on its own branch. Nothing to do but order them."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("design", "0012_s20_risk"),
        ("design", "0013_s20_items"),
        ("design", "0014_s20_config"),
        ("design", "0015_s20_import"),
    ]

    operations: list = []
