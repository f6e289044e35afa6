import os

SQLALCHEMY_URL = os.environ.get("DISPATCH_DB", "postgresql://dispatch:dispatch@localhost/dispatch")
BROKER_URL = os.environ.get("BROKER_URL", "amqp://guest:guest@localhost:5672//")

# flask-healthz: callables behind /healthz/live and /healthz/ready
HEALTHZ = {
    "live": "dispatch.checks.liveness",
    "ready": "dispatch.checks.readiness",
}
