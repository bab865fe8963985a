# syntax=docker/dockerfile:1
# SfCompanion's image: built with the .NET SDK, run on the ASP.NET Core runtime image (no SDK), as the non-root
# 'app' user (UID 1654), on port 8080.
#   docker build -t registry.example.com/sfcompanion:0.1.0 .
#   docker run -p 8080:8080 -v sfc-data:/data registry.example.com/sfcompanion:0.1.0
# Without Docker: dotnet publish src/SfCompanion -c Release -t:PublishContainer (see docs/deploy.md).
ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
# Restore first, from the project files only, so that the layer is reused while only code changes.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/SfCompanion/SfCompanion.csproj src/SfCompanion/
COPY src/SfCompanion.Salesforce/SfCompanion.Salesforce.csproj src/SfCompanion.Salesforce/
COPY src/SfCompanion.Emulator/SfCompanion.Emulator.csproj src/SfCompanion.Emulator/
COPY src/SfCompanion.Formulas/SfCompanion.Formulas.csproj src/SfCompanion.Formulas/
RUN dotnet restore src/SfCompanion/SfCompanion.csproj
COPY src/ src/
RUN dotnet publish src/SfCompanion/SfCompanion.csproj -c Release -o /app --no-restore -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS final
WORKDIR /app
COPY --from=build /app ./
# The embedded store (single node) lives in /data; with Redis nothing is written there.
RUN mkdir -p /data && chown app:app /data
ENV ASPNETCORE_HTTP_PORTS=8080 \
    STORAGE__SQLITE__PATH=/data/sfcompanion.db
VOLUME ["/data"]
USER app
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=6s --start-period=30s --retries=3 CMD ["dotnet", "/app/SfCompanion.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "/app/SfCompanion.dll"]
