using System.Text.Json;
using VaeCfCluster.Deployment.Tests.Support;

namespace VaeCfCluster.Deployment.Tests;

/// <summary>
/// Redis authentication and the NetworkPolicies of the chart, on the objects rendered by the real Helm (parsed by
/// scripts/k8s-validate/render-chart.mjs --json): the in-chart Redis requires the password of a Secret that the
/// silos and the training Job read too, and ingress to every pod of the chart is limited to what the cluster needs.
/// </summary>
public sealed class ChartSecurityTests
{
    private const string Chart = "helm/vaecf";

    [RequiresHelmFact(withNode: true)]
    public void InChartRedis_Defaults_RequiresThePasswordOfTheChartSecret()
    {
        var objects = Render();

        var secret = Single(objects, "Secret", "vaecf-redis-auth");
        var password = secret.GetProperty("data").GetProperty("redis-password").GetString();
        Assert.Equal(32, Convert.FromBase64String(password!).Length);

        var redis = Container(Single(objects, "Deployment", "vaecf-redis"), "redis");
        var args = Strings(redis.GetProperty("args"));
        Assert.DoesNotContain("--protected-mode", args);
        Assert.Equal("$(REDIS_PASSWORD)", args[args.IndexOf("--requirepass") + 1]);
        AssertPasswordFromSecret(redis, "vaecf-redis-auth", "redis-password");
        var probe = Strings(redis.GetProperty("readinessProbe").GetProperty("exec").GetProperty("command"));
        Assert.Equal(["sh", "-c"], probe.Take(2));
        Assert.Contains("redis-cli -a \"$REDIS_PASSWORD\"", probe[2]);

        var silo = Container(Single(objects, "Deployment", "vaecf-silo"), "silo");
        AssertPasswordFromSecret(silo, "vaecf-redis-auth", "redis-password");
        Assert.Equal("vaecf-redis:6379,password=$(REDIS_PASSWORD)", Env(silo, "Silo__RedisConnectionString"));
        Assert.Equal("vaecf-redis:6379,password=$(REDIS_PASSWORD)", Env(silo, "Storage__RedisConnectionString"));

        var train = Container(Single(objects, "Job", "vaecf-train-synthetic-vae"), "train");
        AssertPasswordFromSecret(train, "vaecf-redis-auth", "redis-password");
        var trainArgs = Strings(train.GetProperty("args"));
        Assert.Equal("redis://:$(REDIS_PASSWORD)@vaecf-redis:6379", trainArgs[trainArgs.IndexOf("--cluster") + 1]);
    }

    [RequiresHelmFact(withNode: true)]
    public void InChartRedis_ExistingSecret_IsUsedAndNoSecretIsCreated()
    {
        var objects = Render("--set", "redis.auth.existingSecret=my-redis", "--set", "redis.auth.existingSecretPasswordKey=pw");

        Assert.DoesNotContain(objects, o => Kind(o) == "Secret");
        AssertPasswordFromSecret(Container(Single(objects, "Deployment", "vaecf-redis"), "redis"), "my-redis", "pw");
        AssertPasswordFromSecret(Container(Single(objects, "Deployment", "vaecf-silo"), "silo"), "my-redis", "pw");
        AssertPasswordFromSecret(Container(Single(objects, "Job", "vaecf-train-synthetic-vae"), "train"), "my-redis", "pw");
    }

    [RequiresHelmFact(withNode: true)]
    public void InChartRedis_GivenPassword_IsTheSecretsValue()
    {
        var secret = Single(Render("--set", "redis.auth.password=s3cretPassw0rd"), "Secret", "vaecf-redis-auth");

        Assert.Equal("s3cretPassw0rd", System.Text.Encoding.UTF8.GetString(
            Convert.FromBase64String(secret.GetProperty("data").GetProperty("redis-password").GetString()!)));
    }

    [RequiresHelmFact(withNode: true)]
    public void ExternalRedis_Tls_AddsSslToTheSilosAndSendsTheJobToTheGateway()
    {
        var objects = Render("-f", $"{Chart}/ci/external-redis-tls-values.yaml");

        var silo = Container(Single(objects, "Deployment", "vaecf-silo"), "silo");
        AssertPasswordFromSecret(silo, "redis-credentials", "redis-password");
        Assert.Equal("redis.example.com:6380,password=$(REDIS_PASSWORD),ssl=true", Env(silo, "Silo__RedisConnectionString"));
        var train = Container(Single(objects, "Job", "vaecf-train-synthetic-vae"), "train");
        var args = Strings(train.GetProperty("args"));
        Assert.Equal("vaecf-silo:30000", args[args.IndexOf("--cluster") + 1]);
        Assert.DoesNotContain(objects, o => Kind(o) == "Secret");
    }

    [RequiresHelmFact(withNode: true)]
    public void NetworkPolicies_Defaults_AllowOnlyTheClusterConnections()
    {
        var objects = Render();
        var siloPods = Labels("silo");
        var clientPods = new Dictionary<string, string> { ["vaecf.io/client"] = "true" };

        var jobPodLabels = Single(objects, "Job", "vaecf-train-synthetic-vae").GetProperty("spec").GetProperty("template")
            .GetProperty("metadata").GetProperty("labels");
        Assert.Equal("true", jobPodLabels.GetProperty("vaecf.io/client").GetString());

        var silo = Single(objects, "NetworkPolicy", "vaecf-silo");
        Assert.Equal(siloPods, MatchLabels(silo.GetProperty("spec").GetProperty("podSelector")));
        Assert.Equal(["Ingress"], Strings(silo.GetProperty("spec").GetProperty("policyTypes")));
        var rules = Rules(silo);
        Assert.Equal(3, rules.Count);
        var siloRule = Assert.Single(rules, r => r.Ports.SequenceEqual([11111]));
        Assert.Equal([Peer.Of(siloPods)], siloRule.From);
        var gatewayRule = Assert.Single(rules, r => r.Ports.SequenceEqual([30000]));
        Assert.Equal([Peer.Of(siloPods), Peer.Of(clientPods)], gatewayRule.From);
        var httpRule = Assert.Single(rules, r => r.Ports.SequenceEqual([8080]));
        Assert.Equal([new Peer(null, "kubernetes.io/metadata.name=monitoring"), Peer.Of(clientPods)], httpRule.From);

        var redis = Single(objects, "NetworkPolicy", "vaecf-redis");
        Assert.Equal(Labels("redis"), MatchLabels(redis.GetProperty("spec").GetProperty("podSelector")));
        var redisRule = Assert.Single(Rules(redis));
        Assert.Equal([6379], redisRule.Ports);
        Assert.Equal([Peer.Of(siloPods), Peer.Of(clientPods)], redisRule.From);

        var train = Single(objects, "NetworkPolicy", "vaecf-train");
        Assert.Equal(Labels("train"), MatchLabels(train.GetProperty("spec").GetProperty("podSelector")));
        Assert.Equal(["Ingress"], Strings(train.GetProperty("spec").GetProperty("policyTypes")));
        Assert.Empty(Rules(train));
        Assert.All(objects.Where(o => Kind(o) == "NetworkPolicy"), p => Assert.False(p.GetProperty("spec").TryGetProperty("egress", out _)));
    }

    [RequiresHelmFact(withNode: true)]
    public void NetworkPolicies_CustomClientLabelAndMonitoring_AreUsedInTheRules()
    {
        var objects = Render("-f", $"{Chart}/ci/external-redis-tls-values.yaml");
        var client = new Dictionary<string, string> { ["example.com/vaecf-client"] = "yes" };

        Assert.DoesNotContain(objects, o => Kind(o) == "NetworkPolicy" && Name(o) == "vaecf-redis");
        var rules = Rules(Single(objects, "NetworkPolicy", "vaecf-silo"));
        var httpRule = Assert.Single(rules, r => r.Ports.SequenceEqual([8080]));
        Assert.Equal([new Peer("app.kubernetes.io/name=prometheus", "kubernetes.io/metadata.name=observability"), Peer.Of(client)], httpRule.From);
        Assert.Contains(Peer.Of(client), Assert.Single(rules, r => r.Ports.SequenceEqual([30000])).From);
        var jobPodLabels = Single(objects, "Job", "vaecf-train-synthetic-vae").GetProperty("spec").GetProperty("template")
            .GetProperty("metadata").GetProperty("labels");
        Assert.Equal("yes", jobPodLabels.GetProperty("example.com/vaecf-client").GetString());
    }

    [RequiresHelmFact(withNode: true)]
    public void NetworkPolicies_Disabled_RenderNone()
    {
        var objects = Render("--set", "networkPolicy.enabled=false");

        Assert.DoesNotContain(objects, o => Kind(o) == "NetworkPolicy");
        Assert.Contains(objects, o => Kind(o) == "Deployment");
    }

    /// <summary>One ingress rule: its TCP ports and its peers.</summary>
    private sealed record Rule(List<int> Ports, List<Peer> From);

    /// <summary>A peer as "k=v,..." texts of its pod and namespace selectors' matchLabels (null when absent).</summary>
    private sealed record Peer(string? Pods, string? Namespaces)
    {
        public static Peer Of(IDictionary<string, string> labels) => new(Text(labels), null);

        public static string Text(IDictionary<string, string> labels) =>
            string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
    }

    private static List<Rule> Rules(JsonElement policy) =>
        !policy.GetProperty("spec").TryGetProperty("ingress", out var ingress) ? [] :
        ingress.EnumerateArray().Select(r => new Rule(
            r.GetProperty("ports").EnumerateArray().Select(p =>
            {
                Assert.Equal("TCP", p.GetProperty("protocol").GetString());
                return p.GetProperty("port").GetInt32();
            }).ToList(),
            r.GetProperty("from").EnumerateArray().Select(f => new Peer(
                f.TryGetProperty("podSelector", out var pods) && MatchLabels(pods).Count > 0 ? Peer.Text(MatchLabels(pods)) : null,
                f.TryGetProperty("namespaceSelector", out var ns) ? Peer.Text(MatchLabels(ns)) : null)).ToList())).ToList();

    private static Dictionary<string, string> Labels(string component) => new()
    {
        ["app.kubernetes.io/name"] = "vaecf",
        ["app.kubernetes.io/instance"] = "vaecf",
        ["app.kubernetes.io/component"] = component,
    };

    private static Dictionary<string, string> MatchLabels(JsonElement selector) =>
        selector.TryGetProperty("matchLabels", out var labels)
            ? labels.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)
            : [];

    private static void AssertPasswordFromSecret(JsonElement container, string secret, string key)
    {
        var env = container.GetProperty("env").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "REDIS_PASSWORD");
        var reference = env.GetProperty("valueFrom").GetProperty("secretKeyRef");
        Assert.Equal(secret, reference.GetProperty("name").GetString());
        Assert.Equal(key, reference.GetProperty("key").GetString());
    }

    private static string? Env(JsonElement container, string name) =>
        container.GetProperty("env").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name).GetProperty("value").GetString();

    private static JsonElement Container(JsonElement workload, string name) =>
        workload.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")
            .EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();

    private static string? Kind(JsonElement o) => o.GetProperty("kind").GetString();

    private static string? Name(JsonElement o) => o.GetProperty("metadata").GetProperty("name").GetString();

    private static JsonElement Single(List<JsonElement> objects, string kind, string name) =>
        Assert.Single(objects, o => Kind(o) == kind && Name(o) == name);

    /// <summary>The chart's objects rendered by helm template (release "vaecf") with the given extra arguments.</summary>
    private static List<JsonElement> Render(params string[] args)
    {
        var result = NodeTools.RunScript("render-chart.mjs", [RepositoryFiles.PathOf(Chart), "--json", .. args]);
        Assert.True(result.ExitCode == 0, result.Output);
        using var document = JsonDocument.Parse(result.Output);
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }
}
