using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace VaeCfCluster.Model.Experiments;

/// <summary>
/// What decides the numbers of an experiment folder's runs: the data's name, the split's bytes and seed, the settings,
/// and bfloat16 gradients when chosen. Left out are the settings that decide which runs there are but not what any
/// run gives, since every run's id already names its value: the grids (DAE weight decays, the baselines' λ, c1, K,
/// SLIM's weights and CDAE's weight decays), the baselines taken, SLIM's item limit, and the evaluation batch size (per-user metrics do not
/// depend on it). So a grid widened, narrowed or a baseline added keeps every finished run; other changes still ask
/// for another folder or <c>--fresh</c>.
/// </summary>
public static class ExperimentIdentity
{
    private static readonly string[] Selection =
    [
        nameof(ExperimentSettings.DaeWeightDecays), nameof(ExperimentSettings.Baselines), nameof(ExperimentSettings.EaseLambdas),
        nameof(ExperimentSettings.WmfPositiveWeights), nameof(ExperimentSettings.WmfFactors), nameof(ExperimentSettings.SlimRegularization),
        nameof(ExperimentSettings.CdaeWeightDecays), nameof(ExperimentSettings.SlimMaxItems), nameof(ExperimentSettings.EvaluationBatchSize),
    ];

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The identity text of an experiment on <paramref name="data"/> (its split's SHA-256 and seed) with <paramref name="settings"/>.</summary>
    public static string Of(string data, string splitSha256, ulong splitSeed, ExperimentSettings settings, bool compressGradients) =>
        new JsonObject
        {
            ["data"] = data,
            ["splitSha256"] = splitSha256,
            ["splitSeed"] = splitSeed,
            ["settings"] = WithoutSelection(JsonSerializer.SerializeToNode(settings)!.AsObject()),
            ["compressGradients"] = compressGradients ? true : null,
        }.ToJsonString(Indented);

    /// <summary>
    /// Whether a folder's <paramref name="stored"/> identity is <paramref name="current"/>'s. An identity stored before
    /// the grids were left out (it lists them) still matches when everything else does.
    /// </summary>
    public static bool Same(string stored, string current)
    {
        if (stored == current) return true;
        try
        {
            var old = JsonNode.Parse(stored)?.AsObject();
            if (old is null) return false;
            if (old["settings"] is JsonObject settings) old["settings"] = WithoutSelection(settings.DeepClone().AsObject());
            if (old["compressGradients"] is null) old.Remove("compressGradients");
            var now = JsonNode.Parse(current)!.AsObject();
            if (now["compressGradients"] is null) now.Remove("compressGradients");
            return JsonNode.DeepEquals(old, now);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static JsonObject WithoutSelection(JsonObject settings)
    {
        foreach (var name in Selection) settings.Remove(name);
        return settings;
    }
}
