namespace VaeCfCluster.Model.Tests;

/// <summary>
/// Runs alone: its tests fix LibTorch's (process-wide) thread count while they run, which tests running beside them
/// would change, and compare results whose rounding depends on it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTorchThreadsCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "serial LibTorch threads";
}
