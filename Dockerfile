# Freshet's container image: the application jar and its libraries on a JDK 25 runtime, run as a
# non-root user. The root filesystem may be read-only: state goes to /var/lib/freshet (a volume),
# tree-sitter's native libraries are unpacked under /tmp (writable, e.g. an emptyDir).
#   docker build -t freshet:0.1.0 .
#   docker run -p 8460:8460 -v freshet-data:/var/lib/freshet freshet:0.1.0
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -ntp -q -Dmaven.test.skip=true package

FROM eclipse-temurin:25-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 freshet \
 && useradd --system --uid 10001 --gid freshet --home-dir /var/lib/freshet --shell /usr/sbin/nologin freshet \
 && install -d -o freshet -g freshet -m 0700 /var/lib/freshet
COPY --from=build /src/app/target/freshet-app.jar /opt/freshet/freshet-app.jar
COPY --from=build /src/app/target/lib/ /opt/freshet/lib/
COPY deploy/docker/freshet /usr/local/bin/freshet
ENV FRESHET_DATA_DIR=/var/lib/freshet \
    FRESHET_NATIVE_DIR=/tmp/freshet-natives \
    JAVA_OPTS="-XX:MaxRAMPercentage=75"
USER 10001:10001
WORKDIR /var/lib/freshet
EXPOSE 8460
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD curl -fsS http://127.0.0.1:8460/health/live || exit 1
ENTRYPOINT ["freshet"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8460"]
