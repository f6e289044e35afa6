# syntax=docker/dockerfile:1
# GPU training image. Build with:
#   docker build -f docker/train.Dockerfile --build-arg CUDA_TAG=12.2.2-cudnn8-runtime-ubuntu22.04 .
ARG CUDA_TAG=12.2.2-cudnn8-runtime-ubuntu22.04
ARG PYTHON_VERSION=3.11

# ok: NONROOT, HEALTHCHECK
FROM python:${PYTHON_VERSION}-slim-bookworm AS wheels
WORKDIR /wheels
COPY requirements/train.txt .
RUN pip wheel --no-cache-dir -r train.txt -w /wheels

FROM nvidia/cuda:${CUDA_TAG} AS base
ENV DEBIAN_FRONTEND=noninteractive \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3.11 python3-pip \
 && rm -rf /var/lib/apt/lists/*

# expect: HEALTHCHECK
FROM base AS runtime
# ok: NONROOT
USER root
RUN useradd --create-home --uid 1000 trainer \
 && mkdir -p /data /checkpoints \
 && chown trainer:trainer /data /checkpoints
COPY --from=wheels /wheels /tmp/wheels
RUN pip3 install --no-cache-dir /tmp/wheels/*.whl && rm -rf /tmp/wheels
COPY --chown=trainer:trainer src/ /opt/train/src/
WORKDIR /opt/train
USER trainer
ENTRYPOINT ["python3", "-m", "src.train"]
