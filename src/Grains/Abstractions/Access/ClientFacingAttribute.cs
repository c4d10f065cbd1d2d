namespace VaeCfCluster.Grains.Abstractions.Access;

/// <summary>
/// Marks a grain interface that clients outside the cluster may call. Every other VaeCfCluster grain interface
/// (workers, parameter server and its shards, evaluators) is internal: the silos refuse calls to it that come from a
/// client, so a client cannot overwrite a shard's state or drive a worker behind its job's back.
/// </summary>
[AttributeUsage(AttributeTargets.Interface, Inherited = false)]
public sealed class ClientFacingAttribute : Attribute;
