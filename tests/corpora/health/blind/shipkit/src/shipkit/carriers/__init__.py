from .base import Carrier
from .postnl import PostNL

_REGISTRY: dict[str, type[Carrier]] = {"postnl": PostNL}


def get_carrier(name: str) -> type[Carrier]:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(f"unsupported carrier {name!r}") from None
