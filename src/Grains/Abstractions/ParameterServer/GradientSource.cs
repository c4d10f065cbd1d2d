namespace VaeCfCluster.Grains.Abstractions.ParameterServer;

/// <summary>
/// A silo holding gradient of the current step: the lowest-numbered worker there with users in the batch (it answers
/// for the silo's summed gradient) and the silo's address. Owners on that silo read the gradient by reference; others
/// pull their row-sparse part of it from the worker.
/// </summary>
[GenerateSerializer, Immutable, Alias("vaecf.GradientSource")]
public sealed record GradientSource(
    [property: Id(0)] int Worker,
    [property: Id(1)] string Silo);
