# Shared JupyterLab image for the research team.
# expect: PINNING, HEALTHCHECK
FROM quay.io/jupyter/scipy-notebook

COPY --chown=${NB_UID}:${NB_GID} requirements/notebook.txt /tmp/notebook.txt
RUN pip install --no-cache-dir -r /tmp/notebook.txt

# start-notebook.sh needs root to fix ownership of the mounted ./notebooks
# volume; it drops to $NB_USER itself afterwards.
# expect: NONROOT
USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends graphviz \
 && rm -rf /var/lib/apt/lists/*
ENV CHOWN_HOME=yes CHOWN_HOME_OPTS=-R
