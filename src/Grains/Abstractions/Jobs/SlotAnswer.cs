namespace VaeCfCluster.Grains.Abstractions.Jobs;

/// <summary>The queue's answer to a job asking for a slot.</summary>
/// <param name="Granted">The job holds a slot and may start.</param>
/// <param name="Position">Place in the queue from 1 when not granted; 0 when granted.</param>
/// <param name="LeaseSeconds">How long a slot or place lasts without renewal (<c>Jobs:SlotLeaseSeconds</c>).</param>
[GenerateSerializer, Immutable, Alias("vaecf.SlotAnswer")]
public sealed record SlotAnswer([property: Id(0)] bool Granted, [property: Id(1)] int Position, [property: Id(2)] double LeaseSeconds);
