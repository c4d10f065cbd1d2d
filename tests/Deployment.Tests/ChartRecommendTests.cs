using System.Text.Json;
using VaeCfCluster.Deployment.Tests.Support;
using static VaeCfCluster.Deployment.Tests.Support.RenderedChart;

namespace VaeCfCluster.Deployment.Tests;

/// <summary>
/// The chart's recommendation run (`vaecf recommend --histories`), rendered by the real Helm: off by default, a Job or
/// with a schedule a CronJob on the training Job's data and output claims, and refused without an output claim.
/// </summary>
public sealed class ChartRecommendTests
{
    private static readonly string[] Claims = ["--set", "job.data.existingClaim=vaecf-data", "--set", "job.output.existingClaim=vaecf-runs"];

    [RequiresHelmFact(withNode: true)]
    public void Recommend_Default_IsNotRendered()
    {
        var objects = Render();
        Assert.DoesNotContain(objects, o => Name(o)!.Contains("recommend", StringComparison.Ordinal));
    }

    [RequiresHelmFact(withNode: true)]
    public void Recommend_Enabled_IsAJobReadingTheModelAndHistoriesAndWritingToTheOutputClaim()
    {
        var objects = Render([.. Claims, "--set", "recommend.enabled=true", "--set", "recommend.histories=ml-1m", "--set", "recommend.top=20",
            "--set", "recommend.args={--format,ml-1m}"]);

        var job = Single(objects, "Job", "vaecf-recommend-nightly");
        var container = Container(job, "recommend");
        Assert.Equal(["dotnet", "/app/vaecf.dll"], container.GetProperty("command").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(["recommend", "--model", "/work/out/model.vaecf", "--histories", "ml-1m", "--out", "/work/out/recommendations.csv",
            "--top", "20", "--format", "ml-1m"], Args(container));
        var pod = PodTemplate(job);
        Assert.Equal("Never", pod.GetProperty("spec").GetProperty("restartPolicy").GetString());
        Assert.Equal("vaecf-runs", ClaimMountedAt(pod, container, "/work/out"));
        Assert.Equal("vaecf-data", ClaimMountedAt(pod, container, "/data"));
        Assert.False(container.GetProperty("securityContext").GetProperty("allowPrivilegeEscalation").GetBoolean());
        Assert.True(container.GetProperty("securityContext").GetProperty("readOnlyRootFilesystem").GetBoolean());
        // It talks to no silo, so it does not carry the client label the NetworkPolicies let through.
        Assert.False(pod.GetProperty("metadata").GetProperty("labels").TryGetProperty("vaecf.io/client", out _));
        Assert.DoesNotContain(objects, o => Kind(o) == "CronJob");
    }

    [RequiresHelmFact(withNode: true)]
    public void Recommend_WithASchedule_IsACronJobThatNeverOverlapsItself()
    {
        var objects = Render([.. Claims, "--set", "recommend.enabled=true", "--set", "recommend.schedule=0 3 * * *"]);

        var cron = Single(objects, "CronJob", "vaecf-recommend-nightly");
        Assert.Equal("0 3 * * *", cron.GetProperty("spec").GetProperty("schedule").GetString());
        Assert.Equal("Forbid", cron.GetProperty("spec").GetProperty("concurrencyPolicy").GetString());
        Assert.Equal("/work/out/recommendations.csv", Args(Container(cron, "recommend"))[6]);
        Assert.DoesNotContain(objects, o => Kind(o) == "Job" && Name(o)!.Contains("recommend", StringComparison.Ordinal));
    }

    [RequiresHelmFact(withNode: true)]
    public void Recommend_WithoutAnOutputClaim_IsRefusedNamingTheSetting()
    {
        var result = RenderResult("--set", "recommend.enabled=true");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("recommend.enabled needs job.output.existingClaim", result.Output);
    }

    private static string? ClaimMountedAt(JsonElement pod, JsonElement container, string path)
    {
        var volume = container.GetProperty("volumeMounts").EnumerateArray().Single(m => m.GetProperty("mountPath").GetString() == path)
            .GetProperty("name").GetString();
        return pod.GetProperty("spec").GetProperty("volumes").EnumerateArray().Single(v => v.GetProperty("name").GetString() == volume)
            .GetProperty("persistentVolumeClaim").GetProperty("claimName").GetString();
    }
}
