"""Kubaeum settings: one file, every knob read from the environment (django-environ).

Embedded defaults (SQLite, Redis on 127.0.0.1:6379) make `make run` work on a fresh
machine; production sets DATABASE_URL, REDIS_URL, SECRET_KEY, DEBUG=false, ALLOWED_HOSTS.
"""

import os
from pathlib import Path

import environ

from kubaeum import secret_key

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
# Running clusters' files, the generated secret key; readable by the owner only.
KUBAEUM_STATE_DIR = Path(env("KUBAEUM_STATE_DIR", default=str(BASE_DIR / "var")))
# Everything these processes write (the SQLite database and its WAL, kubeconfigs, cluster
# certificates, the key file) holds credentials: never readable by other users.
os.umask(os.umask(0o077) | 0o077)
# Empty: a random key generated on the first run and kept in KUBAEUM_STATE_DIR/secret_key.
# The old public default is refused unless DEBUG.
SECRET_KEY = secret_key.load(env("SECRET_KEY", default=""), KUBAEUM_STATE_DIR, DEBUG)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_ratelimit",
    "accounts",
    "courses",
    "labs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "kubaeum.middleware.RefuseOversizedBodies",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so it sees what views raise: a UserError a view did not render itself.
    "kubaeum.errors.UserErrorMiddleware",
]

ROOT_URLCONF = "kubaeum.urls"
WSGI_APPLICATION = "kubaeum.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Persistent connections, for every engine: opening one per request (Django's default)
# cost more than rendering a lesson page (bench/lesson_throughput.py).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a Celery worker writes; the busy timeout
    # makes a writer wait for the other instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A database created before the umask above (or copied in) is tightened at start.
    for suffix in ("", "-wal", "-shm"):
        db_file = Path(f"{DATABASES['default']['NAME']}{suffix}")
        if db_file.exists() and db_file.stat().st_uid == os.getuid() and db_file.stat().st_mode & 0o077:
            os.chmod(db_file, 0o600)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's PBKDF2 (unchanged cost), each hash taking a host-wide slot so that logins can
# never take more than LOGIN_HASH_SLOTS cores from page serving (accounts/hashers.py).
PASSWORD_HASHERS = [
    "accounts.hashers.SlottedPBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_HASH_SLOTS = env.int("LOGIN_HASH_SLOTS", default=max(1, (os.cpu_count() or 2) // 2))
LOGIN_HASH_WAIT_SECONDS = env.float("LOGIN_HASH_WAIT_SECONDS", default=15.0)
# Rate limits (django-ratelimit, counted in the shared Redis cache; accounts/throttle.py).
LOGIN_RATE_PER_USER = env("LOGIN_RATE_PER_USER", default="5/m")
LOGIN_RATE_PER_IP = env("LOGIN_RATE_PER_IP", default="60/m")
SIGNUP_RATE_PER_IP = env("SIGNUP_RATE_PER_IP", default="20/h")
RATELIMIT_USE_CACHE = "shared"
# django-ratelimit only warns that it does not list Django's own RedisCache; its INCR is atomic.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "courses-home"
LOGOUT_REDIRECT_URL = "courses-home"

LANGUAGE_CODE = "ko-kr"
LANGUAGES = [("ko", "한국어")]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Request bodies: the lesson editor is the largest legitimate form (a long lesson is
# well under 200 KB); anything bigger is refused before a view sees it.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)

# Content-Security-Policy (Django's own middleware). Every script is a file of ours, so no
# inline script or eval runs; htmx's indicator styles live in site.css (base.html turns its
# injected <style> off). Inline style *attributes* stay allowed: progress bars set their
# width that way, and an attribute cannot run code.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Served over HTTPS (SECURE_COOKIES=true): redirect plain HTTP and tell browsers to stay on
# HTTPS. Behind a TLS-terminating proxy, TRUST_X_FORWARDED_PROTO=true makes Django believe
# the proxy's X-Forwarded-Proto (otherwise every request looks like HTTP and redirects).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=SESSION_COOKIE_SECURE)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if SESSION_COOKIE_SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=SESSION_COOKIE_SECURE)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Preloading is close to irreversible and the operator's decision for their domain, so
# its absence is not a deployment warning here.
SILENCED_SYSTEM_CHECKS += ["security.W021"]
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")

# CACHE_URL=redis://host:6379/1 shares the cache (lesson pages, the content version, the
# live task list's rounds) between every web process and host, so they agree; the default
# keeps each process's own in memory, which is correct but warms once per process.
CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://kubaeum"),
    # What several processes or hosts must count together (login and sign-up rate limits).
    "shared": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "kubaeum",
        "OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2},
    },
}

# Celery: Redis carries messages only, the database is the source of truth.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis hands an unacked message to another worker after this: longer than the longest
# task time limit (labs.refill_kwok_pool, 300 s), so a slow task never runs twice. Sessions
# do not wait for it: a killed provisioning is noticed by its lapsed lease (labs/sandbox/lease.py).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 360}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Time, level and logger name on every line: web, worker and beat logs interleave in
    # var/log/ and in a container's output, and a line without them cannot be placed.
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"kubernetes": {"level": "WARNING"}, "urllib3": {"level": "WARNING"}},
}

# --- Content -------------------------------------------------------------------------
CONTENT_DIR = Path(env("CONTENT_DIR", default=str(BASE_DIR / "content")))

# --- Courses: lesson page speed (bench/lesson_throughput.py) -----------------------------
# Signed-cookie sessions cost no query; with courses/services/page_cache.py a reload of
# a lesson touches no database at all (trade-off in README: a copied cookie stays valid
# until it expires, even after logout).
SESSION_ENGINE = env("SESSION_ENGINE", default="django.contrib.sessions.backends.signed_cookies")

# --- Local Kubernetes cluster (labs/cluster) ---------------------------------------------
KUBAEUM_CACHE_DIR = Path(env("KUBAEUM_CACHE_DIR", default=str(Path.home() / ".cache" / "kubaeum")))
# A kubeconfig for the shared lab cluster; empty means the local cluster started by
# `manage.py cluster up`.
LAB_CLUSTER_KUBECONFIG = env(
    "LAB_CLUSTER_KUBECONFIG", default=env("KUBAEUM_LAB_CLUSTER_KUBECONFIG", default="")
)

# --- Lab sandboxes (labs/providers, labs/sessions) ----------------------------------------
# Key for encrypting sandbox credentials at rest; empty = derived from SECRET_KEY (HKDF).
LAB_CREDENTIALS_KEY = env("LAB_CREDENTIALS_KEY", default="")
LAB_DEFAULT_PROVIDER = env("LAB_DEFAULT_PROVIDER", default="namespace")
# Sandbox names: namespace/cluster `<prefix><session id>`; LAB_INSTANCE labels our objects
# (empty = derived from the database name) so orphan collection never touches another
# installation's sandboxes on a shared cluster.
LAB_NAMESPACE_PREFIX = env("LAB_NAMESPACE_PREFIX", default="lab-")
LAB_CLUSTER_PREFIX = env("LAB_CLUSTER_PREFIX", default="lab-")
LAB_INSTANCE = env("LAB_INSTANCE", default="")
LAB_IDLE_MINUTES = env.int("LAB_IDLE_MINUTES", default=20)
LAB_MAX_LIFETIME_MINUTES = env.int("LAB_MAX_LIFETIME_MINUTES", default=120)
LAB_EXTENSION_MINUTES = env.int("LAB_EXTENSION_MINUTES", default=30)
LAB_MAX_EXTENSIONS = env.int("LAB_MAX_EXTENSIONS", default=2)
LAB_MAX_SESSIONS_PER_STUDENT = env.int("LAB_MAX_SESSIONS_PER_STUDENT", default=3)
# Sessions that may be live at once per provider; the rest wait in a queue.
LAB_CAPACITY = {
    "namespace": env.int("LAB_CAPACITY_NAMESPACE", default=300),
    "kwok": env.int("LAB_CAPACITY_KWOK", default=4),
    "kind": env.int("LAB_CAPACITY_KIND", default=2),
}
# Reaper: re-queue `requested` rows the broker lost, rescue `provisioning` rows a dead
# worker left behind (retry up to LAB_PROVISION_MAX_ATTEMPTS, then fail and clean up).
LAB_REQUEUE_AFTER_SECONDS = env.int("LAB_REQUEUE_AFTER_SECONDS", default=20)
# The provision task's hard time limit is derived from it (10 s less, labs/sandbox/tasks.py).
LAB_PROVISION_TIMEOUT_SECONDS = env.int("LAB_PROVISION_TIMEOUT_SECONDS", default=180)
LAB_PROVISION_MAX_ATTEMPTS = env.int("LAB_PROVISION_MAX_ATTEMPTS", default=2)
# How long provisioning keeps retrying while the API server is unreachable (restarting
# under `cluster watch` takes seconds) before the session fails with a Korean reason.
LAB_PROVISION_RETRY_SECONDS = env.int("LAB_PROVISION_RETRY_SECONDS", default=90)
# Every 10 s: with the 15 s provisioning lease, a student whose worker died waits < 30 s.
LAB_REAP_INTERVAL_SECONDS = env.float("LAB_REAP_INTERVAL_SECONDS", default=10.0)
# Server URL written into downloaded kubeconfigs when students reach the cluster by
# another address than the workers do (empty = the same).
LAB_CLUSTER_PUBLIC_SERVER = env("LAB_CLUSTER_PUBLIC_SERVER", default="")
# Per-namespace limits (ResourceQuota).
LAB_QUOTA = {
    "pods": env("LAB_QUOTA_PODS", default="20"),
    "requests.cpu": env("LAB_QUOTA_REQUESTS_CPU", default="4"),
    "requests.memory": env("LAB_QUOTA_REQUESTS_MEMORY", default="4Gi"),
    "limits.cpu": env("LAB_QUOTA_LIMITS_CPU", default="8"),
    "limits.memory": env("LAB_QUOTA_LIMITS_MEMORY", default="8Gi"),
    "services": "10",
    "configmaps": "30",
    "secrets": "30",
    "persistentvolumeclaims": "5",
    # Every other kind a student may write is counted too (labs/providers/namespace.py
    # RULES; a test checks that none is left out): objects cost etcd space even when they
    # run nothing. ReplicaSets and ControllerRevisions are mostly made by controllers
    # from the student's Deployments/StatefulSets/DaemonSets (old revisions included).
    "replicationcontrollers": "5",
    "count/deployments.apps": "20",
    "count/replicasets.apps": "40",
    "count/statefulsets.apps": "5",
    "count/daemonsets.apps": "5",
    "count/controllerrevisions.apps": "20",
    "count/jobs.batch": "20",
    "count/cronjobs.batch": "5",
    "count/horizontalpodautoscalers.autoscaling": "5",
    "count/poddisruptionbudgets.policy": "5",
    "services.loadbalancers": "0",
    "services.nodeports": env("LAB_QUOTA_NODEPORTS", default="2"),
}
# Pod Security Admission level enforced in every sandbox namespace (baseline refuses
# privileged pods, hostPath, host networking: what could reach the shared nodes).
LAB_POD_SECURITY = env("LAB_POD_SECURITY", default="baseline")
# Service types beyond ClusterIP every namespace sandbox may create. Empty by default: a
# NodePort or LoadBalancer opens a port on every node of a shared cluster, so only a lab
# that lists it (`requires: {service_types: [NodePort]}`) gets it; the quota then caps it at
# LAB_QUOTA_NODEPORTS.
LAB_ALLOWED_SERVICE_TYPES = env.list("LAB_ALLOWED_SERVICE_TYPES", default=[])
# kwok: dedicated clusters; a warm pool of ready ones is refilled in the background.
LAB_KWOK_POOL_SIZE = env.int("LAB_KWOK_POOL_SIZE", default=1)
LAB_KWOK_NODES = env.int("LAB_KWOK_NODES", default=2)
# Per dedicated cluster: a memory ceiling for its five processes together (cgroup where
# the memory controller is writable, else the reaper's watchdog ends the session), and
# the most its etcd may store (etcd refuses writes beyond: a quota the student's
# cluster-admin rights cannot lift).
LAB_KWOK_MEMORY_LIMIT_MB = env.int("LAB_KWOK_MEMORY_LIMIT_MB", default=768)
LAB_KWOK_ETCD_QUOTA_MB = env.int("LAB_KWOK_ETCD_QUOTA_MB", default=64)
# kind: real containers, on the Docker engine of containers/engine.sh, from the node image
# containers/build.sh builds (`make kind`). Empty binary/image: the ones that build made.
LAB_KIND_BINARY = env("LAB_KIND_BINARY", default="")
LAB_KIND_NODE_IMAGE = env("LAB_KIND_NODE_IMAGE", default="")
LAB_KIND_WAIT = env("LAB_KIND_WAIT", default="120s")
LAB_KIND_POOL_SIZE = env.int("LAB_KIND_POOL_SIZE", default=1)
# Empty: $DOCKER_HOST, else Kubaeum's private engine (~/.cache/kubaeum/docker/docker.sock).
LAB_DOCKER_HOST = env("LAB_DOCKER_HOST", default="")
# What hosts namespace sandboxes when LAB_CLUSTER_KUBECONFIG is empty: "kwok" (the local
# kwok cluster, simulated pods) or "kind" (a kind cluster, real containers). `make run`
# sets "kind" when Docker works.
LAB_SHARED_CLUSTER = env("LAB_SHARED_CLUSTER", default="kwok")
# Fault injection for the reliability tests only: seconds a worker sleeps between
# creating the sandbox and finishing it (so a test can kill it mid-way). Always 0 in use.
LAB_PROVISION_PAUSE_SECONDS = env.float("KUBAEUM_LAB_PROVISION_PAUSE", default=0.0)
CELERY_BEAT_SCHEDULE["labs-reap"] = {"task": "labs.reap", "schedule": LAB_REAP_INTERVAL_SECONDS}

# --- Grading and console (labs/grading, labs/console) ------------------------------------
# Grading: queued submissions whose task the broker lost are re-sent (labs.grading.tasks).
CELERY_BEAT_SCHEDULE["labs-grade-requeue"] = {"task": "labs.grade_requeue", "schedule": 30.0}
# Web console: the kubectl it runs; empty = the one installed next to this Python (the
# pinned kubectl wheel in .venv/bin).
KUBECTL_PATH = env("KUBECTL_PATH", default="")
# Console commands run in their own worker (`celery worker -Q console`), never on a web
# thread; one at a time per session and this many at once per student, on every host.
LAB_CONSOLE_PER_STUDENT = env.int("LAB_CONSOLE_PER_STUDENT", default=2)
CELERY_TASK_ROUTES = {"labs.console_run": {"queue": "console"}}
