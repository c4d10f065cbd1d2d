using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using VaeCfCluster.Grains.Abstractions.Jobs;

namespace VaeCfCluster.Grains.Jobs;

/// <summary>
/// Whether a start request describes the run a job is already running: the same data (length and SHA-256) and the
/// same model, training and cluster settings. A client that lost its job (crashed, or submitted it detached) and
/// asks again with the same command attaches to it; any other request for a running job is refused, naming what differs.
/// </summary>
public static class JobSpecComparison
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>
    /// What <paramref name="requested"/> changes compared to <paramref name="running"/>, one entry per setting, as
    /// "training Epochs 5 (requested 3)"; empty when it is the same run. The data name and <see cref="TrainingJobSpec.Fresh"/> are not compared.
    /// </summary>
    public static IReadOnlyList<string> Differences(TrainingJobSpec running, TrainingJobSpec requested)
    {
        var differences = new List<string>();
        if (running.DataLength != requested.DataLength || running.DataSha256 != requested.DataSha256)
            differences.Add(string.Create(CultureInfo.InvariantCulture,
                $"data SHA-256 {Short(running.DataSha256)}, {running.DataLength} bytes (requested {Short(requested.DataSha256)}, {requested.DataLength} bytes)"));
        Compare("model", running.Model, requested.Model, differences);
        Compare("training", running.Training, requested.Training, differences);
        Compare("cluster", running.Cluster, requested.Cluster, differences);
        if (running.RecVae != requested.RecVae)
            differences.Add($"RecVAE settings {running.RecVae ?? "none"} (requested {requested.RecVae ?? "none"})");
        return differences;
    }

    /// <summary>The one-line refusal for a request that differs from the running job.</summary>
    public static string Refusal(string jobId, IReadOnlyList<string> differences) =>
        $"Job '{jobId}' is running with other settings: {string.Join("; ", differences)}. Follow it with its own settings, cancel it, or use another job id.";

    private static void Compare<T>(string section, T running, T requested, List<string> differences)
    {
        var a = JsonSerializer.SerializeToElement(running, Json);
        var b = JsonSerializer.SerializeToElement(requested, Json);
        foreach (var property in a.EnumerateObject())
        {
            string was = property.Value.GetRawText();
            string now = b.TryGetProperty(property.Name, out var value) ? value.GetRawText() : "none";
            if (was != now) differences.Add($"{section} {property.Name} {was.Trim('"')} (requested {now.Trim('"')})");
        }
    }

    private static string Short(string sha256) => sha256.Length > 12 ? sha256[..12] : sha256;
}
