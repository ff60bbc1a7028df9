# Two entry points for a fresh machine (see README.md): `./autonf ...` runs the tool, `make test` runs the tests.
SHELL := /bin/bash
MVN := mvn -B --no-transfer-progress

.PHONY: test build clean

test:
	source scripts/java-env.sh && $(MVN) verify

build:
	source scripts/java-env.sh && $(MVN) -q -DskipTests package

clean:
	source scripts/java-env.sh && $(MVN) -q clean
