namespace VaeCfCluster.Grains.Jobs;

/// <summary>
/// An item shard answered that it no longer holds its state (its silo restarted, or it was deactivated): the state
/// exists nowhere else, so the job's run starts again from its checkpoint (<see cref="SiloLoss"/>).
/// </summary>
public sealed class ItemShardLostException(int shard, string call)
    : Exception($"Item shard {shard} lost its state (answered {call} without it); the job restarts from its checkpoint.");
