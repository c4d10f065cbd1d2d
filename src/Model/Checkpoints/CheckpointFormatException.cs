namespace VaeCfCluster.Model.Checkpoints;

/// <summary>
/// A checkpoint or model file that is corrupted, truncated, or does not match what it is loaded into. A run's training
/// checkpoint (<c>checkpoint.*</c>) is named with the way out: <c>--fresh</c> starts the run over.
/// </summary>
public sealed class CheckpointFormatException(string path, string problem)
    : Exception($"{path}: {problem}{Remedy(path, problem)}")
{
    /// <summary>The file at fault.</summary>
    public string FilePath { get; } = path;

    private static string Remedy(string path, string problem) =>
        Path.GetFileName(path).StartsWith("checkpoint.", StringComparison.Ordinal) && !problem.Contains("--fresh", StringComparison.Ordinal)
            ? " (--fresh starts the run over without it)"
            : "";

    /// <summary>
    /// A file of another kind than <paramref name="kind"/> ("model file"): its header's <paramref name="format"/> is
    /// named, and a training checkpoint (whose header names no such format) is told apart from the model beside it.
    /// </summary>
    public static CheckpointFormatException WrongKind(string path, string? format, string kind) =>
        new(path, string.IsNullOrEmpty(format) || format.Contains("checkpoint", StringComparison.Ordinal)
            ? $"is a training checkpoint (or another file), not a {kind}: give the model file written beside it (model.vaecf, or model.recvae for RecVAE)."
            : $"is a '{format}' file, not a {kind}.");
}
