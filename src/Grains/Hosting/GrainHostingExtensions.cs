using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Placement;
using VaeCfCluster.Grains.Access;
using VaeCfCluster.Grains.Diagnostics;
using VaeCfCluster.Grains.Placement;
using VaeCfCluster.Grains.Storage;

namespace VaeCfCluster.Grains.Hosting;

/// <summary>Adds VaeCfCluster's grains and their settings to a silo.</summary>
public static class GrainHostingExtensions
{
    /// <summary>Configuration section bound to Orleans' <see cref="ClusterMembershipOptions"/>.</summary>
    public const string MembershipSectionName = "Membership";

    /// <summary>
    /// Registers the spread placement of workers, shards and evaluators, the filter that keeps clients out of internal
    /// grains (<see cref="InternalGrainCallFilter"/>), the job store (files or Redis), and binds
    /// <see cref="JobStorageOptions"/> ("Storage"), <see cref="TorchRuntimeOptions"/> ("Torch") and <see cref="JobQueueOptions"/> ("Jobs") from configuration,
    /// validated at start.
    /// </summary>
    public static ISiloBuilder AddVaeCfGrains(this ISiloBuilder builder, IConfiguration? configuration = null)
    {
        var services = builder.Services;
        services.AddPlacementDirector<SpreadPlacement, SpreadPlacementDirector>();
        builder.AddIncomingGrainCallFilter<InternalGrainCallFilter>();
        var storage = services.AddOptions<JobStorageOptions>();
        var torch = services.AddOptions<TorchRuntimeOptions>();
        var jobs = services.AddOptions<JobQueueOptions>();
        if (configuration is not null)
        {
            storage.Bind(configuration.GetSection(JobStorageOptions.SectionName));
            torch.Bind(configuration.GetSection(TorchRuntimeOptions.SectionName));
            jobs.Bind(configuration.GetSection(JobQueueOptions.SectionName));
            // Orleans' failure detection (ProbeTimeout, NumMissedProbesLimit, ExtendProbeTimeoutDuringDegradation, ...):
            // how soon a dead silo's grains, jobs included, come back elsewhere.
            services.Configure<ClusterMembershipOptions>(configuration.GetSection(MembershipSectionName));
        }
        storage.Validate(Valid, $"Invalid {JobStorageOptions.SectionName} settings.").ValidateOnStart();
        torch.Validate(Valid, $"Invalid {TorchRuntimeOptions.SectionName} settings.").ValidateOnStart();
        jobs.Validate(Valid, $"Invalid {JobQueueOptions.SectionName} settings.").ValidateOnStart();
        services.AddSingleton<TorchRuntime>();
        services.AddSingleton<JobReplicaRegistry>();
        services.AddMetrics();
        services.AddSingleton<VaeCfMetrics>();
        services.AddSingleton<IJobBlobStore>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<JobStorageOptions>>().Value;
            return o.Provider == JobStorageProvider.Redis ? RedisJobBlobStore.Connect(o.RedisConnectionString!) : new FileJobBlobStore(o.Directory);
        });
        // Evaluating a large held-out set or a step of a large model can take minutes on a CPU silo.
        services.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(10));
        return builder;
    }

    private static bool Valid(JobStorageOptions o) { o.Validate(); return true; }

    private static bool Valid(TorchRuntimeOptions o) { o.Validate(); return true; }

    private static bool Valid(JobQueueOptions o) { o.Validate(); return true; }
}
