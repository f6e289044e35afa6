import logging

log = logging.getLogger(__name__)


def create_order(order_id):
    # ruleid: NWD004
    print("order created", order_id)
    # ok: NWD004
    log.info("order created", extra={"order_id": order_id})
    return order_id
