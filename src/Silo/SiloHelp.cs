using System.Reflection;

namespace VaeCfCluster.Silo;

/// <summary><c>vaecf-silo --help</c> and <c>--version</c>: what the program is and the settings it takes.</summary>
internal static class SiloHelp
{
    /// <summary>The program's version (its assembly's informational version).</summary>
    public static string Version =>
        typeof(SiloHelp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The help text.</summary>
    public const string Text = """
        vaecf-silo: one Orleans silo of a VaeCfCluster training cluster (workers, parameter and item shards, evaluators,
        the job queue), with health probes (/health/live, /health/ready) and Prometheus metrics (/metrics) on its HTTP port.

        Settings come from appsettings.json beside the program, then the environment (Section__Key=value), then the
        command line (--Section:Key=value). An unknown setting in these sections is refused, as is a bad value.

          Silo:Clustering             Localhost (default, one host), Redis or Kubernetes
          Silo:RedisConnectionString  Redis for membership, with Clustering Redis (host:port[,password=...])
          Silo:ClusterId, ServiceId   cluster and service ids (default vaecf); clients use --cluster-id/--service-id
          Silo:SiloPort, GatewayPort  silo-to-silo and client ports (default 11111, 30000)
          Silo:HttpPort               health and metrics (default 8080)
          Silo:AdvertisedAddress      the address other silos and clients reach this one at
          Silo:PrimarySiloEndpoint    Localhost clustering: the first silo's host:port
          Storage:Provider            Files (default; Storage:Directory, shared by the silos) or Redis (Storage:RedisConnectionString)
          Torch:Device                auto (default: a GPU if LibTorch sees one), cpu, cuda or cuda:N
          Torch:Threads               LibTorch intra-op threads (0: one per core; set it when silos share a host)
          Torch:LibTorchPath          load LibTorch from a folder, e.g. an installed PyTorch's torch/lib (or VAECF_LIBTORCH)
          Jobs:MaxConcurrent          jobs trained at once (others queue); Jobs:MemoryBudgetBytes refuses jobs that cannot fit
          Tls:Enabled, CertificatePath, KeyPath, CaPath   mutual TLS on the silo and gateway ports
          Membership:ProbeTimeout, NumMissedProbesLimit, ...   Orleans failure detection (how soon a lost silo's work moves)

        Example: Silo__Clustering=Redis Silo__RedisConnectionString=127.0.0.1:6379 Torch__Threads=1 vaecf-silo --Silo:SiloPort=11112
        Exit codes: 0 after a clean stop (SIGTERM or Ctrl+C), 2 for a bad setting, 1 when the silo fails. README.md has more.

        """;
}
