# Logto M2M operator image.
#   docker build -t logto-operator .
# Build stage: the same Maven build as CI (`mvn -B verify` in .ci/run), minus the tests, which CI runs.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, in their own layer: it is rebuilt only when pom.xml changes, not on every
# source edit. (go-offline does not resolve every plugin dependency; `package` fetches the rest.)
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline
COPY src ./src
# target/logto-operator.jar: the operator alone (pom.xml, shade execution operator-jar); the sandbox
# jar built beside it is not copied.
RUN mvn -B -DskipTests package

# Runtime stage: a JRE only, no Maven, no JDK, no sources.
FROM eclipse-temurin:17-jre
# A fixed non-root uid/gid (65532, the "nonroot" of distroless images), matching the Helm chart's
# runAsUser, so that `runAsNonRoot: true` can verify it.
RUN groupadd --system --gid 65532 nonroot \
 && useradd --system --uid 65532 --gid 65532 --home-dir /tmp --no-create-home --shell /usr/sbin/nologin nonroot
WORKDIR /app
COPY --from=build --chown=0:0 /src/target/logto-operator.jar /app/logto-operator.jar
# Size the heap from the container's memory limit, and let Kubernetes restart the pod on OOM
# instead of running on in a broken state. TieredStopAtLevel=1: C1 only. The operator waits on
# HTTP; C2 recompiling its code cost more CPU than the operator's own threads spent (bench, 200
# apps on a real Logto: 2.5-3.9 CPU s of compiling against 1.4-2.5 s of the operator's work), CPU
# taken from the pod's small request and from Logto beside it. README.md, Performance, has more.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:TieredStopAtLevel=1 -Djava.io.tmpdir=/tmp"
USER 65532:65532
# /healthz, /readyz and /metrics (HTTP_PORT).
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/logto-operator.jar"]
CMD ["run"]
