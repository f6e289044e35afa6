from decimal import Decimal

from shipkit import Address, Parcel, Shipment
from shipkit.carriers.postnl import PostNL


def test_postnl_rate_bands():
    a = Address("A", "Damrak 1", "1012LG", "Amsterdam")
    light = Shipment(a, a, (Parcel(weight_grams=500),))
    carrier = PostNL.__new__(PostNL)
    assert carrier.rates(light)[0].amount == Decimal("6.95")
