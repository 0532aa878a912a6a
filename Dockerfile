# irfuse in a container: builds the jar with Maven, then runs bin/irfuse on a Java 17 runtime.
#   docker build -t irfuse .
#   docker run --rm -v "$PWD:/data" irfuse fuse --ir /data/ir.png --vis /data/vis.png -o /data/fused.png
# tools/docker-steps.sh runs the same steps without Docker (keep the two in step).
# Base images: Eclipse Temurin (Ubuntu-based), the JDK/JRE the project is tested on.

# ---- step 1: build (all dependencies from Maven Central) ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q package -DskipTests

# ---- step 2: runtime: the launcher, the jar and the sample pair ----
FROM eclipse-temurin:17-jre
RUN mkdir -p /opt/irfuse/bin /opt/irfuse/irfuse-cli/target /var/cache/irfuse
COPY --from=build /src/bin/irfuse /opt/irfuse/bin/irfuse
COPY --from=build /src/irfuse-cli/target/irfuse.jar /opt/irfuse/irfuse-cli/target/irfuse.jar
COPY --from=build /src/samples /opt/irfuse/samples
COPY --from=build /src/LICENSE /src/NOTICE /opt/irfuse/
ENV IRFUSE_CACHE=/var/cache/irfuse

# ---- step 3: smoke test, which also unpacks libtorch into the image's cache (no unpacking at each run) ----
RUN /opt/irfuse/bin/irfuse --version \
 && /opt/irfuse/bin/irfuse fuse --ir /opt/irfuse/samples/ir/street.png --vis /opt/irfuse/samples/vi/street.png \
        -o /tmp/street-fused.png --json \
 && rm /tmp/street-fused.png && chmod -R a+rwX /var/cache/irfuse

WORKDIR /data
ENTRYPOINT ["/opt/irfuse/bin/irfuse"]
CMD ["--help"]
