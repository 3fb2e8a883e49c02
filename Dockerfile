# Caucus API: multi-stage build (SDK → ASP.NET runtime), non-root, SQLite file on a volume.
# Not buildable on the development machines (no Docker engine there); kept simple and correct.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Caucus.Api/Caucus.Api.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
# The election folder travels in /app/elections (copied by the build); the database lives on a volume.
RUN mkdir -p /data && chown -R $APP_UID /data
VOLUME ["/data"]
ENV ASPNETCORE_URLS=http://+:8080 \
    ConnectionStrings__Caucus="Data Source=/data/caucus.db" \
    Caucus__Store=sqlite
EXPOSE 8080
USER $APP_UID
# Liveness (/healthz: results loaded), not readiness (/readyz also needs the database): a container whose
# database is away still serves reads and must not be restarted for it. Prometheus metrics: /metrics.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["dotnet", "Caucus.Api.dll", "--healthcheck", "http://127.0.0.1:8080/healthz"]
# docker stop sends SIGTERM: requests in flight are answered and the writer's queue drained (allow ~30 s,
# docker-compose.yml's stop_grace_period) before the process exits.
ENTRYPOINT ["dotnet", "Caucus.Api.dll"]
