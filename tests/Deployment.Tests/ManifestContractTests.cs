using System.Text.Json;
using System.Text.RegularExpressions;
using VaeCfCluster.Deployment.Tests.Support;

namespace VaeCfCluster.Deployment.Tests;

/// <summary>
/// The deployment files agree with the programs they deploy: ports, probe paths and defaults from the silo's
/// appsettings.json and sources, program names from the project files, and what Orleans Kubernetes hosting needs.
/// Plain text checks of k8s/ (the chart's default rendering) and docker/Dockerfile; they need no tools.
/// </summary>
public sealed class ManifestContractTests
{
    private static readonly string Silo = RepositoryFiles.Read("k8s/silo-deployment.yaml");

    [Fact]
    public void SiloEnvironment_PortsAndDevice_EqualTheSilosOwnDefaults()
    {
        using var settings = JsonDocument.Parse(RepositoryFiles.Read("src/Silo/appsettings.json"));
        var silo = settings.RootElement.GetProperty("Silo");

        foreach (var (setting, portName) in new[] { ("SiloPort", "silo"), ("GatewayPort", "gateway"), ("HttpPort", "http") })
        {
            var port = silo.GetProperty(setting).GetInt32();
            Assert.Equal(port.ToString(System.Globalization.CultureInfo.InvariantCulture), EnvValue(Silo, $"Silo__{setting}"));
            Assert.Matches($@"- name: {portName}\s+containerPort: {port}\s", Silo);
            Assert.Matches($@"- name: {portName}\s+port: {port}\s", RepositoryFiles.Read("k8s/silo-service.yaml"));
        }
        Assert.Equal(settings.RootElement.GetProperty("Torch").GetProperty("Device").GetString(), EnvValue(Silo, "Torch__Device"));
    }

    [Fact]
    public void SiloPods_OrleansKubernetesHosting_HaveIdLabelsAndDownwardApiEnvironment()
    {
        Assert.Matches(@"orleans/clusterId: ""vaecf""", Silo);
        Assert.Matches(@"orleans/serviceId: ""vaecf""", Silo);
        var downwardApi = new Dictionary<string, string>
        {
            ["POD_NAME"] = "metadata.name",
            ["POD_NAMESPACE"] = "metadata.namespace",
            ["POD_IP"] = "status.podIP",
            ["ORLEANS_CLUSTER_ID"] = "metadata.labels['orleans/clusterId']",
            ["ORLEANS_SERVICE_ID"] = "metadata.labels['orleans/serviceId']",
        };
        foreach (var (name, field) in downwardApi)
            Assert.Matches($@"- name: {name}\s+valueFrom:\s+fieldRef:\s+fieldPath: {Regex.Escape(field)}\s", Silo);
        Assert.Equal("Kubernetes", EnvValue(Silo, "Silo__Clustering"));
        Assert.Equal("vaecf-redis:6379,password=$(REDIS_PASSWORD)", EnvValue(Silo, "Silo__RedisConnectionString"));
        Assert.Equal("Redis", EnvValue(Silo, "Storage__Provider"));
    }

    [Fact]
    public void PodRole_Verbs_CoverWhatOrleansKubernetesHostingCalls()
    {
        var role = RepositoryFiles.Read("k8s/role.yaml");

        Assert.Contains("resources: [\"pods\"]", role);
        foreach (var verb in new[] { "get", "list", "watch", "patch", "delete" }) Assert.Contains($"\"{verb}\"", role);
        Assert.Contains("name: vaecf-pods", RepositoryFiles.Read("k8s/rolebinding.yaml"));
        Assert.Contains("serviceAccountName: vaecf", Silo);
    }

    [Fact]
    public void Probes_Paths_AreTheSilosHealthEndpoints()
    {
        var source = RepositoryFiles.Read("src/Silo/Health/HealthEndpointExtensions.cs");
        var live = Regex.Match(source, @"LivePath = ""([^""]+)""").Groups[1].Value;
        var ready = Regex.Match(source, @"ReadyPath = ""([^""]+)""").Groups[1].Value;

        Assert.Matches($@"livenessProbe:\s+httpGet:\s+path: {live}\s+port: http\s", Silo);
        Assert.Matches($@"readinessProbe:\s+httpGet:\s+path: {ready}\s+port: http\s", Silo);
        Assert.Contains($"GET {live} HTTP/1.0", RepositoryFiles.Read("docker/Dockerfile"));
        Assert.Contains($"GET {ready} HTTP/1.0", RepositoryFiles.Read("k8s/job.yaml"));
    }

    [Fact]
    public void Dockerfile_PortsAndPrograms_MatchTheProjects()
    {
        var dockerfile = RepositoryFiles.Read("docker/Dockerfile");
        using var settings = JsonDocument.Parse(RepositoryFiles.Read("src/Silo/appsettings.json"));
        var silo = settings.RootElement.GetProperty("Silo");
        var exposed = Regex.Matches(dockerfile, @"(?m)^EXPOSE (\d+)$").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(new[] { "HttpPort", "SiloPort", "GatewayPort" }.Select(p => silo.GetProperty(p).GetInt32()).Order(), exposed.Order());
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"/app/{AssemblyName("src/Silo/VaeCfCluster.Silo.csproj")}.dll\"]", dockerfile);
        Assert.Contains($"command: [\"dotnet\", \"/app/{AssemblyName("src/Client/VaeCfCluster.Client.csproj")}.dll\"]", RepositoryFiles.Read("k8s/job.yaml"));
        Assert.Contains("-p:VaeCfTorchBackend=${TORCH_BACKEND}", dockerfile);
        Assert.Matches(@"(?m)^ARG ASPNET_IMAGE=mcr\.microsoft\.com/dotnet/aspnet:10\.0-noble$", dockerfile);
        Assert.Matches(@"(?m)^USER \$APP_UID$", dockerfile);
    }

    [Fact]
    public void OfflineBuild_BuildArguments_AreTheDockerfilesAndSelectThePublishedContext()
    {
        var dockerfile = RepositoryFiles.Read("docker/Dockerfile");
        var script = RepositoryFiles.Read("docker/build-offline.sh");
        var declared = Regex.Matches(dockerfile, @"(?m)^ARG (\w+)").Select(m => m.Groups[1].Value).ToHashSet();
        var passed = Regex.Matches(script, @"--build-arg (\w+)=").Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(["TORCH_BACKEND", "APP_SOURCE", "ASPNET_IMAGE"], passed);
        Assert.All(passed, name => Assert.Contains(name, declared));
        Assert.Contains("--build-arg APP_SOURCE=context", script);
        Assert.Matches(@"(?m)^FROM scratch AS app-context$", dockerfile);
        Assert.Matches(@"(?m)^FROM app-\$\{APP_SOURCE\} AS app$", dockerfile);
        Assert.Matches(@"(?m)^ARG APP_SOURCE=build$", dockerfile);
        Assert.Contains("-p:VaeCfPatchLibTorchSharpAlways=true", script);
    }

    [Fact]
    public void TrainingJob_ClusterArguments_PointAtTheInChartRedisAndIds()
    {
        var job = RepositoryFiles.Read("k8s/job.yaml");

        Assert.Matches(@"- --cluster\s+- ""redis://:\$\(REDIS_PASSWORD\)@vaecf-redis:6379""", job);
        Assert.Matches(@"- --cluster-id\s+- ""vaecf""", job);
        Assert.Matches(@"- --service-id\s+- ""vaecf""", job);
        Assert.Matches(@"- --job\s+- ""synthetic-vae""", job);
        Assert.Contains("name: vaecf-train-synthetic-vae", job);
        Assert.Contains("name: vaecf-redis", RepositoryFiles.Read("k8s/redis-service.yaml"));
    }

    private static string EnvValue(string manifest, string name)
    {
        var match = Regex.Match(manifest, $@"- name: {Regex.Escape(name)}\s+value: (.+)");
        Assert.True(match.Success, $"env {name} not found");
        return match.Groups[1].Value.Trim().Trim('"');
    }

    private static string AssemblyName(string project) =>
        Regex.Match(RepositoryFiles.Read(project), "<AssemblyName>([^<]+)</AssemblyName>").Groups[1].Value;
}
