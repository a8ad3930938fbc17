# Chroma402 as a container: built from this checkout with Maven, run on a slim JRE as a
# non-root user, with the data directory (database, results, models, keys) on a volume.
#
#   docker build -t chroma402 .
#   docker run -p 8402:8402 -v chroma402-data:/var/lib/chroma402 chroma402
#
# Settings come from CHROMA402_* environment variables (and CHROMA402_*_FILE for secrets mounted
# as files); see the README's configuration table.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -DskipTests package

FROM eclipse-temurin:17-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /var/lib/chroma402 --shell /usr/sbin/nologin chroma402 \
 && mkdir -p /var/lib/chroma402 /opt/chroma402 \
 && chown chroma402:chroma402 /var/lib/chroma402 \
 && chmod 0700 /var/lib/chroma402
COPY --from=build /src/app/target/chroma402.jar /opt/chroma402/chroma402.jar
USER chroma402
WORKDIR /var/lib/chroma402
ENV CHROMA402_DATA_DIR=/var/lib/chroma402 \
    CHROMA402_SERVER_HOST=0.0.0.0 \
    CHROMA402_SERVER_PORT=8402 \
    CHROMA402_LOGGING_FORMAT=json
VOLUME /var/lib/chroma402
EXPOSE 8402
# Ready means: database up, a model loaded, the Lightning node reachable (see /readyz).
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8402/readyz > /dev/null || exit 1
# SIGTERM lets running paid jobs finish within server.shutdown-grace (30 s by default).
STOPSIGNAL SIGTERM
# Heap at most 40 % of the container's memory: ONNX Runtime's buffers live outside it (several GB
# for a 1024-px render), and a heap sized to most of the memory gets the container OOM-killed.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=40", "-jar", "/opt/chroma402/chroma402.jar"]
CMD ["serve"]
