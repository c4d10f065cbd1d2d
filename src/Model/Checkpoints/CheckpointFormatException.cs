namespace VaeCfCluster.Model.Checkpoints;

/// <summary>A checkpoint or model file that is corrupted, truncated, or does not match what it is loaded into.</summary>
public sealed class CheckpointFormatException(string path, string problem)
    : Exception($"{path}: {problem}")
{
    /// <summary>The file at fault.</summary>
    public string FilePath { get; } = path;
}
