# Two entry points for a fresh machine (see README.md): `./autonf ...` runs the tool, `make test` runs the tests.
SHELL := /bin/bash
MVN := mvn -B --no-transfer-progress

.PHONY: test build clean docker-check

# docker-check first: it takes seconds, the Maven build minutes.
test: docker-check
	source scripts/java-env.sh && $(MVN) verify

# docker/compose.yaml (docker compose config) and the Dockerfiles (hadolint), without a Docker engine.
docker-check:
	bash scripts/check-docker.sh

build:
	source scripts/java-env.sh && $(MVN) -q -DskipTests package

clean:
	source scripts/java-env.sh && $(MVN) -q clean
