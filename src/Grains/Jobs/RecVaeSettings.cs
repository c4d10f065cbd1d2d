using System.Text.Json;
using VaeCfCluster.Grains.Abstractions.Workers;
using VaeCfCluster.Model.RecVae;

namespace VaeCfCluster.Grains.Jobs;

/// <summary>
/// RecVAE's settings and passes on the wire: <see cref="RecVaeOptions"/> as JSON (the form its checkpoints already
/// record), and <see cref="RecVaeStep"/> without its rows as <see cref="RecVaePassSettings"/>.
/// </summary>
public static class RecVaeSettings
{
    /// <summary>The wire form of RecVAE's settings.</summary>
    public static string ToJson(RecVaeOptions options) => JsonSerializer.Serialize(options);

    /// <summary>The settings a wire form holds, validated; a malformed one names what is wrong.</summary>
    public static RecVaeOptions Parse(string json)
    {
        RecVaeOptions? options;
        try
        {
            options = JsonSerializer.Deserialize<RecVaeOptions>(json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The job's RecVAE settings are not valid JSON: {e.Message}", e);
        }
        if (options is null) throw new ArgumentException("The job's RecVAE settings are empty.");
        options.Validate();
        return options;
    }

    /// <summary>The wire form of a step's pass.</summary>
    public static RecVaePassSettings ToSettings(this RecVaeStep step) => new(step.Pass, (int)step.Phase, step.PriorVersion, step.EncoderIsPrior);

    /// <summary>The step a worker computes for its slice <paramref name="rows"/>.</summary>
    public static RecVaeStep ToStep(this RecVaePassSettings pass, int[] rows) =>
        Enum.IsDefined((RecVaePhase)pass.Phase)
            ? new RecVaeStep(pass.Pass, rows, (RecVaePhase)pass.Phase, pass.PriorVersion, pass.EncoderIsPrior)
            : throw new ArgumentOutOfRangeException(nameof(pass), $"Unknown RecVAE phase {pass.Phase}.");
}
