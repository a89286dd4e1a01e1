"""The `caredesk` command."""

import argparse
import os
import sys


def _setup(demo: bool = False) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caredesk.settings")
    if demo:
        os.environ.setdefault("CAREDESK_DEMO", "1")
    import django

    django.setup()


def fail(message: str) -> "None":
    print(f"caredesk: {message}", file=sys.stderr)
    sys.exit(2)


def cmd_run(args) -> None:
    """Embedded default: SQLite in the data directory, demo clinic on first start, one process."""
    if os.environ.get("DATABASE_URL") and not args.demo_on_database:
        fail("`caredesk run` is the embedded demo on SQLite; unset DATABASE_URL or use `caredesk serve`.")
    _setup(demo=True)
    from django.core.management import call_command

    from caredesk.demo import DEMO_PASSWORD, ensure_demo_data

    call_command("migrate", interactive=False, verbosity=0)
    created = ensure_demo_data(progress=lambda text: print(f"  {text}", flush=True))
    url = f"http://{args.host}:{args.port}/"

    def ready():
        print(f"\nCareDesk is running at {url}  (demo clinic {'created' if created else 'loaded'})")
        print(f"Patient chat widget demo page: {url}widget/demo/")
        print(f"API docs: {url}api/docs")
        print(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, role in created_or_existing_logins():
            print(f"  {username:<12} {role}")
        print("Press Ctrl+C to stop.", flush=True)

    from caredesk.demo import demo_logins as created_or_existing_logins
    from caredesk.runtime import serve_embedded

    serve_embedded(args.host, args.port, on_ready=ready)


def cmd_serve(args) -> None:
    """Production: N processes. ASGI (uvicorn, uvloop) serves HTTP and WebSocket."""
    _setup()
    from django.core.management import call_command

    if args.migrate:
        call_command("migrate", interactive=False, verbosity=0)
    if args.workers > 1 and not os.environ.get("REDIS_URL"):
        print("caredesk: warning: without REDIS_URL live updates do not cross worker processes", file=sys.stderr)
    import uvicorn

    host, _, port = args.bind.rpartition(":")
    uvicorn.run(
        "caredesk.asgi:application",
        host=host or "127.0.0.1",
        port=int(port),
        workers=args.workers,
        loop="uvloop",
        http="httptools",
        lifespan="off",
        log_level="warning",
        access_log=False,  # request lines carry search terms: PHI stays out of logs
        proxy_headers=True,
    )


def cmd_serve_http(args) -> None:
    """Production HTTP: gunicorn with N sync WSGI workers. Measured faster than ASGI for the API here
    (bench/), because Django's ASGI handler runs every sync view through a thread hop. WebSockets
    (/ws/) still need `caredesk serve`; put both behind one proxy."""
    _setup()
    from gunicorn.app.base import BaseApplication

    from caredesk.wsgi import application

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", args.bind)
            self.cfg.set("workers", args.workers)
            self.cfg.set("worker_class", "sync")
            self.cfg.set("accesslog", None)  # request lines carry search terms: PHI stays out of logs
            self.cfg.set("forwarded_allow_ips", os.environ.get("CAREDESK_FORWARDED_ALLOW_IPS", "127.0.0.1"))

        def load(self):
            return application

    Server().run()


def cmd_worker(args) -> None:
    _setup()
    from caredesk.runtime import make_task_worker, start_sweeper

    worker = make_task_worker(args.worker_id or f"worker-{os.getpid()}", interval=args.interval)
    worker.configure_signals()
    start_sweeper()
    worker.run()


def cmd_audit_verify(args) -> None:
    _setup()
    from caredesk.audit.chain import verify

    result = verify(progress=lambda n: print(f"  checked {n} rows…", file=sys.stderr, flush=True))
    if result.ok:
        print(f"audit log intact: {result.checked} rows verified")
        return
    fail(f"audit log tampered: {result.problem}")


def cmd_keys_generate(args) -> None:
    import base64
    import secrets

    from caredesk.keys import new_encryption_key

    print(f"CAREDESK_SECRET_KEY={secrets.token_urlsafe(50)}")
    print(f"CAREDESK_ENCRYPTION_KEYS={new_encryption_key(args.key_id)}")
    print(f"CAREDESK_BLIND_INDEX_KEY={base64.urlsafe_b64encode(os.urandom(32)).decode()}")


def cmd_keys_rotate(args) -> None:
    _setup()
    from caredesk.keyrotation import rotate_all

    total = rotate_all(progress=lambda label, n: print(f"  {label}: {n} rows re-encrypted", flush=True))
    print(f"re-encrypted {total} values with the active key")


def cmd_token_create(args) -> None:
    _setup()
    from caredesk.accounts.actions import create_api_token
    from caredesk.accounts.models import User

    user = User.objects.filter(username=args.username).first()
    if user is None:
        fail(f"no user named {args.username!r}")
    _token, secret = create_api_token("cli", user, args.name)
    print(secret)


def cmd_token_revoke(args) -> None:
    _setup()
    from caredesk.accounts.actions import revoke_api_token

    if not revoke_api_token("cli", args.prefix):
        fail(f"no live token starts with {args.prefix!r}")
    print(f"revoked token {args.prefix}")


def cmd_demo_load(args) -> None:
    _setup(demo=True)
    from django.core.management import call_command

    from caredesk.demo import ensure_demo_data

    call_command("migrate", interactive=False, verbosity=0)
    ensure_demo_data(progress=print)


def cmd_manage(args) -> None:
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["caredesk manage", *args.rest])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="caredesk", description="CareDesk patient service desk")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="start the embedded demo (SQLite, one process) on 127.0.0.1:8000")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--demo-on-database", action="store_true", help=argparse.SUPPRESS)
    run.set_defaults(func=cmd_run)

    serve = sub.add_parser("serve", help="production server (ASGI, several worker processes)")
    serve.add_argument("--bind", default="127.0.0.1:8000")
    serve.add_argument("--workers", type=int, default=2)
    serve.add_argument("--migrate", action="store_true", help="apply migrations first")
    serve.set_defaults(func=cmd_serve)

    serve_http = sub.add_parser("serve-http", help="production HTTP server (gunicorn, sync WSGI workers)")
    serve_http.add_argument("--bind", default="127.0.0.1:8000")
    serve_http.add_argument("--workers", type=int, default=2)
    serve_http.set_defaults(func=cmd_serve_http)

    worker = sub.add_parser("worker", help="background task worker (delivery, reminders)")
    worker.add_argument("--worker-id", default="")
    worker.add_argument("--interval", type=float, default=0.5)
    worker.set_defaults(func=cmd_worker)

    audit = sub.add_parser("audit", help="audit log tools").add_subparsers(dest="audit_command", required=True)
    audit.add_parser("verify", help="check the hash chain; exit 2 if any row was altered or removed").set_defaults(
        func=cmd_audit_verify
    )

    keys = sub.add_parser("keys", help="encryption keys").add_subparsers(dest="keys_command", required=True)
    gen = keys.add_parser("generate", help="print fresh production keys as environment variables")
    gen.add_argument("--key-id", default="k1")
    gen.set_defaults(func=cmd_keys_generate)
    keys.add_parser("rotate", help="re-encrypt all PHI with the first (active) key").set_defaults(func=cmd_keys_rotate)

    token = sub.add_parser("token", help="API tokens").add_subparsers(dest="token_command", required=True)
    create = token.add_parser("create", help="create an API token for a user and print it once")
    create.add_argument("username")
    create.add_argument("name")
    create.set_defaults(func=cmd_token_create)
    revoke = token.add_parser("revoke", help="revoke a token by its first 12 characters")
    revoke.add_argument("prefix")
    revoke.set_defaults(func=cmd_token_revoke)

    demo = sub.add_parser("demo", help="demo clinic data").add_subparsers(dest="demo_command", required=True)
    demo.add_parser("load", help="load the demo clinic if the database is empty").set_defaults(func=cmd_demo_load)

    manage = sub.add_parser("manage", help="Django management commands")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv=None) -> None:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except KeyboardInterrupt:
        pass
    except Exception as exc:  # one-line reason, no traceback (and no PHI) for operators
        from django.core.exceptions import ImproperlyConfigured

        if isinstance(exc, ImproperlyConfigured | OSError | ValueError):
            fail(str(exc))
        raise


if __name__ == "__main__":
    main()
