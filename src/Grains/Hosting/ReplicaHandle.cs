using VaeCfCluster.Model.Distributed;

namespace VaeCfCluster.Grains.Hosting;

/// <summary>A silo's replica of a job and the lock that lets one grain at a time bring it up to new shard versions.</summary>
public sealed record ReplicaHandle(SiloReplica Replica, SemaphoreSlim RefreshLock);
