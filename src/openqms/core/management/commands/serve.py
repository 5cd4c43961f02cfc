import multiprocessing

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from gunicorn.app.base import BaseApplication

from openqms.core import audit
from openqms.core.checks import database_problems
from openqms.core.instance import is_demo_database
from openqms.core.management.base import OpenQMSCommand
from openqms.settings import env_int, env_str
from openqms.wsgi import application


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return application


class Command(OpenQMSCommand):
    help = (
        "Serve this instance with gunicorn (production). Refuses debug mode, a missing key, "
        "pending migrations, or a database without its protective triggers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=env_str("OPENQMS_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers",
            type=int,
            default=env_int("OPENQMS_WORKERS", multiprocessing.cpu_count() * 2 + 1, minimum=1),
        )
        parser.add_argument(
            "--check", action="store_true", help="Run the pre-flight checks only, then stop"
        )

    def handle(self, *args, **opts):
        self.preflight()
        if opts["check"]:
            self.stdout.write("Pre-flight checks passed: ready to serve.")
            return
        self.stdout.write(
            f"Serving OpenQMS on http://{opts['bind']} with {opts['workers']} workers"
        )
        self.stdout.flush()  # before gunicorn forks, or every worker prints it again
        self.serve(opts)

    def preflight(self) -> None:
        if settings.DEMO:
            raise CommandError("OPENQMS_DEMO is on (plain-HTTP settings): use `openqms demo`.")
        if settings.DEBUG:
            raise CommandError("OPENQMS_DEBUG is on: never serve a real instance in debug mode.")
        if not settings.SECRET_KEY_PROVIDED:
            raise CommandError("OPENQMS_SECRET_KEY is not set: set it to a long random secret.")
        if not settings.ALLOWED_HOSTS:
            raise CommandError("OPENQMS_ALLOWED_HOSTS is not set: list the host names served.")
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database needs migrating first: run `openqms migrate`.")
        if is_demo_database():
            raise CommandError(
                "This database is a demo instance (its passwords are published): serve "
                "refuses it. Run it with `openqms demo`; keep real records in a new database."
            )
        # 21 CFR 11.10(e): never serve a trail that the database no longer keeps append-only.
        problems = database_problems(connection.alias)
        if problems:
            raise CommandError(
                "Refusing to serve: " + " ".join(f"{p.msg} {p.hint}" for p in problems)
            )
        # Fail closed: without the key every action would write an unsealed event.
        missing = audit.key_problem()
        if missing:
            raise CommandError(f"Refusing to serve: {missing}")

    def serve(self, opts: dict) -> None:
        _Gunicorn(
            {
                "bind": opts["bind"],
                "workers": opts["workers"],
                "accesslog": "-",
                "forwarded_allow_ips": env_str("OPENQMS_FORWARDED_ALLOW_IPS", "127.0.0.1"),
                # Threads, and a generous timeout: exports and chain checks stream a while.
                "worker_class": "gthread",
                "threads": env_int("OPENQMS_THREADS", 4, minimum=1),
                "timeout": env_int("OPENQMS_REQUEST_TIMEOUT", 300, minimum=10),
            }
        ).run()
