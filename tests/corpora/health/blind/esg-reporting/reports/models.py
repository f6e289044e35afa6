from django.db import models


class Report(models.Model):
    entity = models.CharField(max_length=120)
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=1, default="D")
    scope1_tco2e = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    scope2_tco2e = models.DecimalField(max_digits=12, decimal_places=2, null=True)
