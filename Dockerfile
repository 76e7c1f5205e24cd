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
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=4s --retries=6 CMD ["dotnet", "TikTokAds.Node.dll", "healthcheck", "http://127.0.0.1:8080/health/ready"]
ENTRYPOINT ["dotnet", "TikTokAds.Node.dll"]
