namespace VaeCfCluster.Model.Distributed;

/// <summary>
/// Where a worker sends the parts of its slice's gradient that belong to shards owned by other silos, and how:
/// <see cref="SiloReplica.Compute"/> hands the output layer's parts to <paramref name="Send"/> as soon as the backward
/// pass has formed them (while the rest of it runs), then the other layers' parts.
/// </summary>
/// <param name="RemoteShards">Shards owned by other silos (the rest are summed here by reference).</param>
/// <param name="MaxChunkBytes">Largest payload of one part.</param>
/// <param name="Bf16">Encode the values as bfloat16.</param>
/// <param name="Send">Takes each part; called on the compute thread, so it must hand the sending off and return.</param>
public sealed record GradientPush(int[] RemoteShards, int MaxChunkBytes, bool Bf16, Action<GradientPart> Send);
