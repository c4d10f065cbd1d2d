using System.Text.Json;

namespace VaeCfCluster.Deployment.Tests.Support;

/// <summary>The chart's objects as the real Helm renders them (render-chart.mjs --json), and lookups into them.</summary>
internal static class RenderedChart
{
    public const string Chart = "helm/vaecf";

    /// <summary>Renders the chart with <paramref name="args"/> (helm template options); fails the test when Helm fails.</summary>
    public static List<JsonElement> Render(params string[] args)
    {
        var result = RenderResult(args);
        Assert.True(result.ExitCode == 0, result.Output);
        using var document = JsonDocument.Parse(result.Output);
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    /// <summary>The rendering's exit code and output, for settings Helm must refuse.</summary>
    public static ProcessResult RenderResult(params string[] args) =>
        NodeTools.RunScript("render-chart.mjs", [RepositoryFiles.PathOf(Chart), "--json", .. args]);

    public static string? Kind(JsonElement o) => o.GetProperty("kind").GetString();

    public static string? Name(JsonElement o) => o.GetProperty("metadata").GetProperty("name").GetString();

    public static JsonElement Single(List<JsonElement> objects, string kind, string name) =>
        Assert.Single(objects, o => Kind(o) == kind && Name(o) == name);

    /// <summary>The pod template of a Deployment, Job or CronJob.</summary>
    public static JsonElement PodTemplate(JsonElement workload) => Kind(workload) == "CronJob"
        ? workload.GetProperty("spec").GetProperty("jobTemplate").GetProperty("spec").GetProperty("template")
        : workload.GetProperty("spec").GetProperty("template");

    public static JsonElement Container(JsonElement workload, string name) =>
        PodTemplate(workload).GetProperty("spec").GetProperty("containers").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    public static List<string?> Args(JsonElement container) => container.GetProperty("args").EnumerateArray().Select(a => a.GetString()).ToList();
}
