using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;
using TikTokAds.Node.Cluster;
using YamlDotNet.RepresentationModel;

namespace TikTokAds.Node.Tests;

/// <summary>No Docker engine runs here, so the compose file is checked against the node's real options instead.</summary>
public sealed partial class ComposeFileTests
{
    private static readonly string[] NodeServices = ["node1", "node2", "node3"];
    private static readonly YamlMappingNode Services = LoadServices();

    [Fact]
    public void Compose_runs_postgres_the_sandbox_and_three_nodes_each_with_a_health_check()
    {
        var names = Services.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();

        Assert.Contains("postgres", names);
        Assert.Contains("sandbox", names);
        Assert.All(NodeServices, node => Assert.Equal("service_healthy", Scalar(Map(Map(Service(node), "depends_on"), "sandbox"), "condition")));
        Assert.All(NodeServices, node => Assert.Contains(node, names));
        Assert.All(names.Where(n => n != "cluster-cert"), name => Assert.True(Service(name).Children.ContainsKey("healthcheck"), $"{name} has no healthcheck"));
        Assert.All(NodeServices, node => Assert.Equal("service_completed_successfully", Scalar(Map(Map(Service(node), "depends_on"), "cluster-cert"), "condition")));
        Assert.All(NodeServices, node => Assert.Equal("service_healthy", Scalar(Map(Map(Service(node), "depends_on"), "postgres"), "condition")));
    }

    [Fact]
    public void Compose_runs_postgres_with_the_production_settings_the_benchmarks_measure()
    {
        var script = File.ReadAllText(System.IO.Path.Combine(RepositoryRoot.Path, "scripts", "with-postgres.sh"));
        var settings = ProductionSettings().Match(script);
        Assert.True(settings.Success, "scripts/with-postgres.sh has no PRODUCTION_SETTINGS line");
        var command = ((YamlSequenceNode)Service("postgres").Children[new YamlScalarNode("command")]).Children.Select(c => ((YamlScalarNode)c).Value!).ToList();

        Assert.Equal("postgres", command[0]);
        Assert.Equal(settings.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries), command.Skip(1));
    }

    [Fact]
    public void Every_node_variable_names_a_real_configuration_option()
    {
        var sections = OptionSections();
        foreach (var node in NodeServices)
        {
            foreach (var key in Environment(node).Keys)
            {
                if (key is "ASPNETCORE_URLS" || key.StartsWith("ConnectionStrings__", StringComparison.Ordinal))
                {
                    continue;
                }
                var parts = key.Split("__");
                var type = parts.Length is 2 or 3 ? sections.GetValueOrDefault(parts[0]) : null;
                Assert.True(type is not null, $"{node}: {key} is not in any options section");
                var property = type.GetProperty(parts[1]);
                Assert.True(property is not null, $"{node}: {key} is not a property of {type.Name}");
                // Section__Dictionary__Key binds only to a dictionary property.
                Assert.True(parts.Length == 2 || property.PropertyType.IsAssignableTo(typeof(System.Collections.IDictionary)), $"{node}: {key} is nested under a property that is not a dictionary");
            }
        }
    }

    [Fact]
    public void Nodes_reach_postgres_by_its_service_name_and_advertise_their_own_name_and_exposed_silo_ports()
    {
        var postgres = Environment("postgres");
        var clusterIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in NodeServices)
        {
            var env = Environment(node);
            var connection = new NpgsqlConnectionStringBuilder(env[$"ConnectionStrings__{PostgresConnection.Name}"]);
            var listenPort = Port().Match(env["ASPNETCORE_URLS"]).Groups[1].Value;
            var published = ((YamlScalarNode)((YamlSequenceNode)Service(node).Children["ports"]).Children[0]).Value!;
            var exposed = ((YamlSequenceNode)Service(node).Children["expose"]).Children.Select(p => ((YamlScalarNode)p).Value).ToList();
            clusterIds.Add($"{env["Cluster__ClusterId"]}/{env["Cluster__ServiceId"]}");

            Assert.Equal("postgres", connection.Host);
            Assert.Equal(postgres["POSTGRES_USER"], connection.Username);
            Assert.Equal(postgres["POSTGRES_PASSWORD"], connection.Password);
            Assert.Equal(postgres["POSTGRES_DB"], connection.Database);
            Assert.Equal(node, env["Cluster__AdvertisedAddress"]);
            Assert.Contains("certs:/certs:ro", ((YamlSequenceNode)Service(node).Children["volumes"]).Children.Select(v => ((YamlScalarNode)v).Value));
            Assert.Contains($"--out {env["Cluster__CertificatePath"]}", string.Join(' ', ((YamlSequenceNode)Service("cluster-cert").Children["entrypoint"]).Children.Select(v => ((YamlScalarNode)v).Value)), StringComparison.Ordinal);
            Assert.Contains(env["Cluster__SiloPort"], exposed);
            Assert.Contains(env["Cluster__GatewayPort"], exposed);
            Assert.EndsWith($":{listenPort}", published, StringComparison.Ordinal);
        }
        Assert.Single(clusterIds);
    }

    [Fact]
    public void Nodes_send_to_the_sandbox_service_on_its_listening_port_at_the_tiktok_api_path()
    {
        var sandboxPort = Port().Match(Environment("sandbox")["ASPNETCORE_URLS"]).Groups[1].Value;
        foreach (var node in NodeServices)
        {
            var baseUrl = new Uri(Environment(node)["TikTok__BaseUrl"]);

            Assert.Equal("sandbox", baseUrl.Host);
            Assert.Equal(sandboxPort, baseUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal($"{TikTokAds.Sandbox.SandboxExtensions.ApiPrefix}/", baseUrl.AbsolutePath);
        }
    }

    [Fact]
    public void Each_node_configuration_passes_the_node_own_validation()
    {
        foreach (var node in NodeServices)
        {
            var env = Environment(node);
            var tokenKeys = new Grains.Security.TokenProtectionOptions
            {
                TokenKeys = env.Where(p => p.Key.StartsWith("Security__TokenKeys__", StringComparison.Ordinal)).ToDictionary(p => p.Key["Security__TokenKeys__".Length..], p => p.Value),
                ActiveTokenKeyId = env.GetValueOrDefault("Security__ActiveTokenKeyId"),
            };
            var tokenValidator = (IValidateOptions<Grains.Security.TokenProtectionOptions>)Activator.CreateInstance(
                typeof(Grains.Security.TokenProtectionOptions).Assembly.GetType("TikTokAds.Grains.Security.TokenProtectionOptionsValidator")!,
                new ConfigurationBuilder().AddInMemoryCollection(env.ToDictionary(p => p.Key.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value)).Build())!;
            var tokenResult = tokenValidator.Validate(null, tokenKeys);
            Assert.True(tokenResult.Succeeded, $"{node}: {tokenResult.FailureMessage}");
            Assert.True(env.GetValueOrDefault("Admin__ApiKey")?.Length >= 16, $"{node}: Admin__ApiKey must be at least 16 characters");
        }
        foreach (var node in NodeServices)
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(Environment(node).ToDictionary(p => p.Key.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value))
                .Build();
            var options = configuration.GetSection(ClusterNodeOptions.SectionName).Get<ClusterNodeOptions>()!;
            var annotations = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
            var validator = (IValidateOptions<ClusterNodeOptions>)Activator.CreateInstance(
                typeof(ClusterNodeOptions).Assembly.GetType("TikTokAds.Node.Cluster.ClusterNodeOptionsValidator")!, configuration)!;
            // The certificate file lives in the compose volume, not here: its presence is checked at start.
            options.CertificatePath = options.CertificatePath is null ? null : ClusterTestCertificates.Cluster;

            var valid = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), annotations, validateAllProperties: true);
            var result = validator.Validate(null, options);

            Assert.True(valid, $"{node}: {string.Join(" ", annotations.Select(a => a.ErrorMessage))}");
            Assert.True(result.Succeeded, $"{node}: {result.FailureMessage}");
        }
    }

    private static Dictionary<string, Type> OptionSections()
        => Directory.GetFiles(AppContext.BaseDirectory, "TikTokAds.*.dll")
            .Where(path => !path.Contains(".Tests.", StringComparison.Ordinal))
            .Select(Assembly.LoadFrom)
            .SelectMany(a => a.GetTypes())
            .Select(t => (Type: t, Field: t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
            .Where(p => p.Field is { IsLiteral: true })
            .ToDictionary(p => (string)p.Field!.GetRawConstantValue()!, p => p.Type);

    private static Dictionary<string, string> Environment(string service)
        => Map(Service(service), "environment").Children.ToDictionary(
            p => ((YamlScalarNode)p.Key).Value!,
            p => Substitute(((YamlScalarNode)p.Value).Value!));

    // ${NAME:-default} takes its default, as compose does when NAME is unset.
    private static string Substitute(string value) => Variable().Replace(value, m => m.Groups[2].Value);

    [Fact]
    public void The_image_and_the_run_profile_give_nodes_the_gen0_budget_test_and_bench_nodes_run_with()
    {
        var dockerfile = File.ReadAllLines(System.IO.Path.Combine(RepositoryRoot.Path, "Dockerfile"));
        var runtimeStage = dockerfile.Skip(Array.FindLastIndex(dockerfile, l => l.StartsWith("FROM ", StringComparison.Ordinal)));
        using var launch = System.Text.Json.JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(RepositoryRoot.Path, "src", "TikTokAds.Node", "Properties", "launchSettings.json")));

        Assert.Contains($"ENV DOTNET_GCgen0size={Testing.NodeProcess.NodeGen0Budget}", runtimeStage);
        Assert.Equal(Testing.NodeProcess.NodeGen0Budget,
            launch.RootElement.GetProperty("profiles").GetProperty("node").GetProperty("environmentVariables").GetProperty("DOTNET_GCgen0size").GetString());
    }

    private static YamlMappingNode Service(string name) => Map(Services, name);

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    private static string? Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value;

    private static YamlMappingNode LoadServices()
    {
        using var reader = new StreamReader(System.IO.Path.Combine(RepositoryRoot.Path, "docker-compose.yml"));
        var yaml = new YamlStream();
        yaml.Load(reader);
        return Map((YamlMappingNode)yaml.Documents[0].RootNode, "services");
    }

    [GeneratedRegex(@"\$\{([A-Z0-9_]+):-([^}]*)\}")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^PRODUCTION_SETTINGS=""([^""]*)""$", RegexOptions.Multiline)]
    private static partial Regex ProductionSettings();

    [GeneratedRegex(@":(\d+)$")]
    private static partial Regex Port();
}
