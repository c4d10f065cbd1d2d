using System.CommandLine;
using VaeCfCluster.Grains.Abstractions.Jobs;

namespace VaeCfCluster.Client.Commands;

/// <summary>Where training runs (in-process cluster, a remote cluster, or one process) and how a job is spread.</summary>
internal sealed class ClusterOptions
{
    public Option<string?> Cluster { get; } = new("--cluster")
    {
        Description = "Submit to a running cluster: redis://HOST:PORT (the silos' Redis membership) or HOST:PORT[,HOST:PORT] " +
                      "(silo gateways, port 30000 by default). Without it an in-process cluster of one silo runs on this machine.",
    };

    public Option<string> ClusterId { get; } = new("--cluster-id")
    {
        Description = "Orleans cluster id of a remote cluster (the silos' Silo:ClusterId).",
        DefaultValueFactory = _ => "vaecf",
    };

    public Option<string> ServiceId { get; } = new("--service-id")
    {
        Description = "Orleans service id of a remote cluster (the silos' Silo:ServiceId).",
        DefaultValueFactory = _ => "vaecf",
    };

    public Option<string?> Job { get; } = new("--job")
    {
        Description = "Job id (letters, digits, '-', '_', '.'). Default: <data>-<model>. Starting a job with the same id and " +
                      "settings resumes it from its checkpoint.",
    };

    public Option<int> Workers { get; } = new("--workers")
    {
        Description = "Worker grains computing gradients; 0 = workers-per-silo × active silos. The model does not depend on it.",
        DefaultValueFactory = _ => 0,
    };

    public Option<int> WorkersPerSilo { get; } = new("--workers-per-silo")
    {
        Description = "Workers per silo when --workers is 0.",
        DefaultValueFactory = _ => 1,
    };

    public Option<int> Shards { get; } = new("--shards")
    {
        Description = "Parameter-server shards; 0 = one per 16M parameters (at least one per silo when more than one).",
        DefaultValueFactory = _ => 0,
    };

    public Option<int> Evaluators { get; } = new("--evaluators")
    {
        Description = "Evaluation grains scoring held-out users in parallel; 0 = one per worker.",
        DefaultValueFactory = _ => 0,
    };

    public Option<int> ChunkMiB { get; } = new("--chunk-mib")
    {
        Description = "Largest payload of one grain call in MiB (Orleans refuses messages over 100 MiB).",
        DefaultValueFactory = _ => ClusterSettings.DefaultMaxChunkBytes >> 20,
    };

    public Option<bool> CompressGradients { get; } = new("--compress-gradients")
    {
        Description = "Exchange gradients and parameter copies between silos as bfloat16: half the bytes, slightly different model; owners keep float32 (off by default).",
    };

    public Option<bool> SingleProcess { get; } = new("--single-process")
    {
        Description = "Train in this process without Orleans (the reference the cluster is checked against).",
    };

    public Option<bool> Detach { get; } = new("--detach")
    {
        Description = "With --cluster: submit the job and return; follow it with 'vaecf status --cluster ... --job ...'.",
    };

    /// <summary>--tls-cert, --tls-key and --tls-ca for a cluster that requires mutual TLS.</summary>
    public ClientTlsOptions Tls { get; } = new();

    /// <summary>Adds the options to a command; <paramref name="jobOptions"/> adds --job and --detach, which name and detach one job.</summary>
    public void AddTo(Command command, bool jobOptions = true)
    {
        foreach (var o in new Option[] { Cluster, ClusterId, ServiceId, Workers, WorkersPerSilo, Shards, Evaluators, ChunkMiB, CompressGradients, SingleProcess })
            command.Options.Add(o);
        Tls.AddTo(command);
        if (!jobOptions) return;
        command.Options.Add(Job);
        command.Options.Add(Detach);
    }

    /// <summary>
    /// Refuses, before any work, the options that only a running cluster's client takes when no <c>--cluster</c> is
    /// given: <c>--detach</c> (an in-process cluster ends with the command) and the TLS files (it needs no TLS).
    /// </summary>
    public void RequireClusterFor(ParseResult result)
    {
        if (result.GetValue(Cluster) is not null && !result.GetValue(SingleProcess)) return;
        if (result.GetValue(Detach))
            throw new ArgumentException("--detach needs --cluster: an in-process cluster (or --single-process) ends with this command.");
        foreach (var option in new[] { Tls.Certificate, Tls.Key, Tls.Ca })
            if (result.GetValue(option) is not null)
                throw new ArgumentException($"{option.Name} goes with --cluster: only a running cluster's gateways use TLS; this run would ignore it.");
    }

    /// <summary>The job's cluster settings.</summary>
    public ClusterSettings Resolve(ParseResult result)
    {
        int chunk = result.GetValue(ChunkMiB);
        if (chunk is < 1 or > 64) throw new ArgumentException($"--chunk-mib must be between 1 and 64 (was {chunk}).");
        foreach (var (option, minimum) in new[] { (Workers, 0), (WorkersPerSilo, 1), (Shards, 0), (Evaluators, 0) })
            if (result.GetValue(option) < minimum)
                throw new ArgumentException($"{option.Name} must be at least {minimum} (was {result.GetValue(option)}).");
        var settings = new ClusterSettings
        {
            Workers = result.GetValue(Workers), WorkersPerSilo = result.GetValue(WorkersPerSilo), ParameterShards = result.GetValue(Shards),
            Evaluators = result.GetValue(Evaluators), MaxChunkBytes = chunk << 20, CompressGradients = result.GetValue(CompressGradients),
        };
        settings.Validate();
        return settings;
    }
}
