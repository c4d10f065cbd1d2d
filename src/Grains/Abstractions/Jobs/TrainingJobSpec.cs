namespace VaeCfCluster.Grains.Abstractions.Jobs;

/// <summary>
/// What to train: typed model and training settings (<see cref="ModelSettings"/>, <see cref="TrainingSettings"/>);
/// the silo validates them and refuses the job, naming the setting, when they are out of range.
/// </summary>
/// <param name="DataName">Short name of the data set (for logs and status).</param>
/// <param name="Model">The autoencoder; its item count must match the data.</param>
/// <param name="Training">Epochs, batch size, seed, Adam, β schedule.</param>
/// <param name="Cluster">How to spread the work.</param>
/// <param name="DataLength">Length of the uploaded serialized split in bytes.</param>
/// <param name="DataSha256">Lowercase hex SHA-256 of the uploaded split.</param>
/// <param name="Fresh">Ignore a checkpoint in the job's storage and start over.</param>
/// <param name="RecVae">
/// When set, the job trains a RecVAE with these settings (the model library's RecVaeOptions as JSON: epochs, batch size,
/// seed and patience are its own); <paramref name="Model"/> then only gives the item count.
/// </param>
[GenerateSerializer, Immutable, Alias("vaecf.TrainingJobSpec")]
public sealed record TrainingJobSpec(
    [property: Id(0)] string DataName,
    [property: Id(1)] ModelSettings Model,
    [property: Id(2)] TrainingSettings Training,
    [property: Id(3)] ClusterSettings Cluster,
    [property: Id(4)] long DataLength,
    [property: Id(5)] string DataSha256,
    [property: Id(6)] bool Fresh,
    [property: Id(7)] string? RecVae = null);
