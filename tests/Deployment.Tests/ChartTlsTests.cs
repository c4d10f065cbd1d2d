using System.Text.Json;
using VaeCfCluster.Deployment.Tests.Support;

namespace VaeCfCluster.Deployment.Tests;

/// <summary>
/// Mutual TLS in the chart, on the objects rendered by the real Helm: on by default with the files of one Secret
/// mounted into the silos (Tls__* settings) and the training Job (--tls-* options), off on request, and an optional
/// cert-manager Certificate that fills that Secret.
/// </summary>
public sealed class ChartTlsTests
{
    private const string Chart = "helm/vaecf";
    private const string MountPath = "/etc/vaecf/tls";

    [RequiresHelmFact(withNode: true)]
    public void Tls_Defaults_SilosAndJobUseTheFilesOfTheTlsSecret()
    {
        var objects = Render();

        var silo = Single(objects, "Deployment", "vaecf-silo");
        var container = Container(silo, "silo");
        Assert.Equal("true", Env(container, "Tls__Enabled"));
        Assert.Equal($"{MountPath}/tls.crt", Env(container, "Tls__CertificatePath"));
        Assert.Equal($"{MountPath}/tls.key", Env(container, "Tls__KeyPath"));
        Assert.Equal($"{MountPath}/ca.crt", Env(container, "Tls__CaPath"));
        Assert.Equal("vaecf-tls", SecretMountedAt(silo, container, MountPath));

        var job = Single(objects, "Job", "vaecf-train-synthetic-vae");
        var train = Container(job, "train");
        var args = train.GetProperty("args").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Equal($"{MountPath}/tls.crt", args[args.IndexOf("--tls-cert") + 1]);
        Assert.Equal($"{MountPath}/tls.key", args[args.IndexOf("--tls-key") + 1]);
        Assert.Equal($"{MountPath}/ca.crt", args[args.IndexOf("--tls-ca") + 1]);
        Assert.Equal("vaecf-tls", SecretMountedAt(job, train, MountPath));
        Assert.DoesNotContain(objects, o => Kind(o) == "Certificate");
    }

    [RequiresHelmFact(withNode: true)]
    public void Tls_Disabled_NoSettingsNoMountNoOptions()
    {
        var objects = Render("--set", "tls.enabled=false");

        var container = Container(Single(objects, "Deployment", "vaecf-silo"), "silo");
        Assert.DoesNotContain(container.GetProperty("env").EnumerateArray(), e => e.GetProperty("name").GetString()!.StartsWith("Tls__", StringComparison.Ordinal));
        var train = Container(Single(objects, "Job", "vaecf-train-synthetic-vae"), "train");
        Assert.DoesNotContain(train.GetProperty("args").EnumerateArray(), a => a.GetString()!.StartsWith("--tls-", StringComparison.Ordinal));
        Assert.DoesNotContain(train.GetProperty("volumeMounts").EnumerateArray(), m => m.GetProperty("mountPath").GetString() == MountPath);
    }

    [RequiresHelmFact(withNode: true)]
    public void Tls_ExistingSecretAndCertManager_CertificateFillsTheMountedSecret()
    {
        var objects = Render("--set", "tls.existingSecret=cluster-mtls", "--set", "tls.certManager.enabled=true",
            "--set", "tls.certManager.issuerRef.name=vaecf-ca");

        var certificate = Single(objects, "Certificate", "vaecf-tls");
        var spec = certificate.GetProperty("spec");
        Assert.Equal("cluster-mtls", spec.GetProperty("secretName").GetString());
        Assert.Equal("vaecf-ca", spec.GetProperty("issuerRef").GetProperty("name").GetString());
        var usages = spec.GetProperty("usages").EnumerateArray().Select(u => u.GetString()).ToList();
        Assert.Contains("server auth", usages);
        Assert.Contains("client auth", usages);
        var silo = Single(objects, "Deployment", "vaecf-silo");
        Assert.Equal("cluster-mtls", SecretMountedAt(silo, Container(silo, "silo"), MountPath));
    }

    [RequiresHelmFact(withNode: true)]
    public void Tls_CertManagerWithoutIssuer_RenderingFailsNamingTheValue()
    {
        var result = NodeTools.RunScript("render-chart.mjs", [RepositoryFiles.PathOf(Chart), "--json", "--set", "tls.certManager.enabled=true"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("tls.certManager.issuerRef.name is required", result.Output);
    }

    private static string? SecretMountedAt(JsonElement workload, JsonElement container, string path)
    {
        var volume = container.GetProperty("volumeMounts").EnumerateArray().Single(m => m.GetProperty("mountPath").GetString() == path)
            .GetProperty("name").GetString();
        return workload.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("volumes").EnumerateArray()
            .Single(v => v.GetProperty("name").GetString() == volume).GetProperty("secret").GetProperty("secretName").GetString();
    }

    private static string? Env(JsonElement container, string name) =>
        container.GetProperty("env").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name).GetProperty("value").GetString();

    private static JsonElement Container(JsonElement workload, string name) =>
        workload.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")
            .EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static string? Kind(JsonElement o) => o.GetProperty("kind").GetString();

    private static string? Name(JsonElement o) => o.GetProperty("metadata").GetProperty("name").GetString();

    private static JsonElement Single(List<JsonElement> objects, string kind, string name) =>
        Assert.Single(objects, o => Kind(o) == kind && Name(o) == name);

    private static List<JsonElement> Render(params string[] args)
    {
        var result = NodeTools.RunScript("render-chart.mjs", [RepositoryFiles.PathOf(Chart), "--json", .. args]);
        Assert.True(result.ExitCode == 0, result.Output);
        using var document = JsonDocument.Parse(result.Output);
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }
}
