# One image recipe for the four services: docker compose builds it once per service with
# SERVICE set to the module (gateway-service, metering-service, billing-service,
# alerting-service).
FROM eclipse-temurin:25-jdk AS build
ARG SERVICE
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests -Dspring-javaformat.skip=true -pl ${SERVICE} -am package \
    && cp ${SERVICE}/target/${SERVICE}-*.jar /app.jar

FROM eclipse-temurin:25-jre
RUN useradd --system --uid 10001 tollgate && mkdir -p /data && chown tollgate /data
USER tollgate
WORKDIR /data
COPY --from=build /app.jar /app/app.jar
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError" \
    JDK_JAVA_OPTIONS="--enable-native-access=ALL-UNNAMED"
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
