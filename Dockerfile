# The node image, built the way the README builds it: `dotnet publish` of the node project. The same
# image carries the TikTok sandbox (/sandbox) for docker-compose's local stand-in for TikTok.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/TikTokAds.Node/TikTokAds.Node.csproj -c Release -o /app \
 && dotnet publish src/TikTokAds.Sandbox/TikTokAds.Sandbox.csproj -c Release -o /sandbox

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
COPY --from=build /sandbox /sandbox
ENV ASPNETCORE_URLS=http://+:8080
# The collector's smallest gen0 budget, 64 MB (hexadecimal bytes), as every node the tests and the bench start has it
# (NodeProcess.NodeGen0Budget): by default it follows the L3 cache the host reports, and a host that reports none
# leaves a budget of a few MB, too small for the requests in flight (docs/BENCHMARKS.md, fifteenth pass).
ENV DOTNET_GCgen0size=0x4000000
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=4s --retries=6 CMD ["dotnet", "TikTokAds.Node.dll", "healthcheck", "http://127.0.0.1:8080/health/ready"]
ENTRYPOINT ["dotnet", "TikTokAds.Node.dll"]
