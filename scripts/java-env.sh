# Sourced by ./autonf, the Makefile and .ci/run: exports JAVA_HOME pointing at a JDK 21 or newer.
# Order: $JAVA_HOME if it is new enough, the `java` on PATH, then the JDKs under /usr/lib/jvm (newest first).

autonf_java_major() {
    # Prints the feature version of the java binary $1 (17, 21, 25, ...), or nothing.
    "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

autonf_find_jdk() {
    local candidate major
    for candidate in "${JAVA_HOME:-}" \
                     "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")" 2>/dev/null)" \
                     $(ls -d /usr/lib/jvm/* 2>/dev/null | sort -rV); do
        [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
        major=$(autonf_java_major "$candidate/bin/java")
        if [ -n "$major" ] && [ "$major" -ge 21 ]; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

if AUTONF_JDK=$(autonf_find_jdk); then
    export JAVA_HOME="$AUTONF_JDK"
    export PATH="$JAVA_HOME/bin:$PATH"
else
    echo "autonf: no JDK 21 or newer found (JAVA_HOME='${JAVA_HOME:-}', java on PATH: $(java -version 2>&1 | head -1))." >&2
    echo "autonf: install one (e.g. apt-get install openjdk-21-jdk or Temurin 21+) and set JAVA_HOME to it." >&2
    return 1 2>/dev/null || exit 1
fi
