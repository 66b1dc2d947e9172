# One Dockerfile for every service; the build argument SERVICE picks which, so each service gets
# its own image (nplv-gebieden, nplv-rapportage, ...) with only its own code and dependencies and
# is released on its own:
#
#   docker build --build-arg SERVICE=gebieden -t nplv-gebieden .
#
# The command picks the role; all three run as the same non-root user on a read-only root
# filesystem (only /tmp is written, and only when mounted):
#
#   API         uvicorn <service>.main:app --host 0.0.0.0 --port 8000 --proxy-headers  (default)
#   worker      python -m <service>.worker             (outbox relay or consumer)
#   migrations  sh -c "alembic -c services/<service>/alembic.ini upgrade head
#                      && python -m <service>.loader"   (the loader only where services.toml
#                                                         says loader = true)
#
# Behind a proxy uvicorn honours X-Forwarded-Proto/-For only from FORWARDED_ALLOW_IPS (uvicorn's
# own variable, default 127.0.0.1); the Kubernetes manifests set it to the ingress controller.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS builder
ARG SERVICE
# Same uv as the Makefile (UV_VERSION), so the image is built from the same uv.lock the same way.
ARG UV_VERSION=0.13.8
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
RUN test -n "${SERVICE}" || { echo "build with --build-arg SERVICE=<name>"; exit 1; } \
    && pip install --no-cache-dir "uv==${UV_VERSION}"
WORKDIR /src
COPY pyproject.toml uv.lock ./
COPY shared/ shared/
COPY services/ services/
# Only this service and what it needs, from the lock, without dev tools, installed as wheels
# (not editable) so the runtime stage needs the virtualenv and nothing of /src.
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package "${SERVICE}"

FROM ${PYTHON_IMAGE} AS runtime
ARG SERVICE
LABEL org.opencontainers.image.title="nplv-${SERVICE}" \
      org.opencontainers.image.description="NPLV monitoringsbackend: ${SERVICE}"
ENV SERVICE=${SERVICE} \
    PATH=/app/.venv/bin:${PATH} \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp
WORKDIR /app
COPY --from=builder /app/.venv /app/.venv
COPY services/${SERVICE}/alembic.ini services/${SERVICE}/alembic.ini
COPY services/${SERVICE}/migrations/ services/${SERVICE}/migrations/
USER 10001:10001
EXPOSE 8000
CMD ["sh", "-c", "exec uvicorn \"${SERVICE}.main:app\" --host 0.0.0.0 --port 8000 --proxy-headers --no-access-log"]
