import logging
import os
import signal

from .consumer import Consumer

logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"))


def main() -> None:
    consumer = Consumer(
        queue_url=os.environ["LEDGER_QUEUE_URL"],
        dsn=os.environ["LEDGER_DSN"],
    )
    signal.signal(signal.SIGTERM, lambda *_: consumer.stop())
    consumer.run_forever()


if __name__ == "__main__":
    main()
