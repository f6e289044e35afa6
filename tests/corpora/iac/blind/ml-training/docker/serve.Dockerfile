# Online inference. The base image is rebuilt weekly by the platform team.
ARG BASE_TAG=latest

# expect: PINNING
FROM ghcr.io/acme-ml/serving-base:${BASE_TAG}

WORKDIR /srv
COPY requirements/serve.txt .
RUN pip install --no-cache-dir -r serve.txt
COPY src/serve/ ./serve/

# gunicorn binds :80 inside the container
# expect: NONROOT
USER 0

HEALTHCHECK --interval=15s --timeout=3s --start-period=60s \
  CMD curl -fsS http://127.0.0.1/healthz || exit 1

CMD ["gunicorn", "serve.app:app", "--bind", "0.0.0.0:80", "--workers", "2", "--timeout", "120"]
