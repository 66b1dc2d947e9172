"""The app factory every service uses: lifespan (engine, token verifier, Kafka probe), the /v1
router, problem handlers, CORS, platform middleware, /metrics and the NL OpenAPI document."""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Response
from fastapi.middleware.cors import CORSMiddleware
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from nplv_shared import audit_api, health, imports_api, tracing
from nplv_shared.auth import TokenVerifier
from nplv_shared.conditional import ConditionalGetMiddleware
from nplv_shared.db import make_engine, make_sessionmaker
from nplv_shared.imports import ImportTables
from nplv_shared.logs import configure_logging
from nplv_shared.middleware import PlatformMiddleware
from nplv_shared.openapi import install_openapi
from nplv_shared.problems import install_problem_handlers
from nplv_shared.routing import operation_id
from nplv_shared.settings import ServiceSettings
from nplv_shared.verantwoording import Verantwoording

BASE_PATH = "/v1"


def create_app(*, service: str, title: str, description: str, settings: ServiceSettings,
               routers: Sequence[APIRouter], verantwoording: Verantwoording,
               tags: list[dict[str, Any]] | None = None, public_paths: tuple[str, ...] = (),
               state: dict[str, Any] | None = None,
               import_tables: ImportTables | None = None) -> FastAPI:
    """`tags` are declared in the OpenAPI document with their descriptions (the platform adds
    its own Gezondheid and Audit tags); `verantwoording` records every write in the processing
    log and the audit log (and every write operation must be in its register); `state` holds
    what the service's dependencies read from `request.state` beside the platform's own (e.g.
    its `publisher`). A service with bulk imports passes its `import_tables`: the platform
    then serves `GET /v1/imports/{importId}`."""
    configure_logging(service, settings.log_level, settings.log_json)
    tracing.configure_tracing(service)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[dict[str, Any]]:
        engine = make_engine(settings)
        tracing.instrument_engine(engine)
        try:
            yield {
                "settings": settings,
                "verantwoording": verantwoording,
                "engine": engine,
                "sessionmaker": make_sessionmaker(engine),
                "token_verifier": TokenVerifier(settings),
                "kafka_probe": health.KafkaProbe(settings.kafka_bootstrap_servers),
                "import_tables": import_tables,
                **(state or {}),
            }
        finally:
            await engine.dispose()

    app = FastAPI(
        title=title, description=description, version=settings.api_version,
        openapi_url=f"{BASE_PATH}/openapi.json", docs_url=f"{BASE_PATH}/docs", redoc_url=None,
        lifespan=lifespan,
        openapi_tags=[*(tags or []), *([imports_api.TAG] if import_tables else []),
                      audit_api.TAG, health.TAG],
        generate_unique_id_function=operation_id, telemetry=tracing.fastapi_telemetry(),
    )
    app.router.redirect_slashes = False  # /core/no-trailing-slash: 404, never a redirect
    api = APIRouter(prefix=BASE_PATH)
    platform = (imports_api.router,) if import_tables else ()
    for router in (*routers, *platform, audit_api.router, health.router):
        api.include_router(router)
    app.include_router(api)
    verantwoording.check_routes(app)

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    install_problem_handlers(app)
    public = tuple(f"{BASE_PATH}{p}" for p in public_paths)
    install_openapi(app, base_path=BASE_PATH, conditional_paths=public)
    app.add_middleware(ConditionalGetMiddleware, public_paths=public)
    app.add_middleware(
        CORSMiddleware, allow_origins=["*"], allow_methods=["*"], allow_headers=["*"],
        expose_headers=["API-Version", "ETag", "Link", "Location", "X-Total-Count",
                        "Retry-After", "X-Request-Id", "traceparent"],
    )
    app.add_middleware(PlatformMiddleware, service=service, api_version=settings.api_version,
                       max_body_bytes=settings.max_body_bytes,
                       import_max_body_bytes=settings.import_max_body_bytes,
                       writes_per_minute=settings.writes_per_minute,
                       public_paths=public)
    return app
