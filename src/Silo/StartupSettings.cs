using Microsoft.Extensions.Options;
using VaeCfCluster.Grains.Hosting;
using VaeCfCluster.Model;
using VaeCfCluster.Silo.Hosting;

namespace VaeCfCluster.Silo;

/// <summary>
/// Reads and checks every setting the silo needs before anything starts, so a bad value ends the process with one
/// line naming the setting (exit code <see cref="BadSettingsExitCode"/>) instead of a failed host and a stack trace.
/// </summary>
internal static class StartupSettings
{
    /// <summary>Exit code for bad settings, as the <c>vaecf</c> client uses for bad input.</summary>
    public const int BadSettingsExitCode = 2;

    /// <summary>
    /// Binds and validates the Silo, Tls, Storage, Torch, Jobs and Membership sections (an unknown setting in them is a
    /// problem too), checks the device, the ports and Redis; returns the first problem, or null. With
    /// <c>Tls:Enabled</c>, <paramref name="tls"/> holds the loaded certificate files; otherwise it is null.
    /// </summary>
    public static string? FindProblem(IConfiguration configuration, out SiloHostingOptions silo, out TlsCredentials? tls)
    {
        silo = new SiloHostingOptions();
        tls = null;
        try
        {
            if (StartupChecks.UnknownSetting(configuration) is { } unknown) return unknown;
            StartupChecks.BindMembership(configuration);
            var clustering = configuration[$"{SiloHostingOptions.SectionName}:{nameof(SiloHostingOptions.Clustering)}"];
            if (!string.IsNullOrWhiteSpace(clustering) && !Enum.TryParse<ClusteringMode>(clustering, ignoreCase: true, out _))
                return $"{SiloHostingOptions.SectionName}:Clustering must be Localhost, Redis or Kubernetes (was '{clustering}').";

            var provider = configuration[$"{JobStorageOptions.SectionName}:{nameof(JobStorageOptions.Provider)}"];
            if (!string.IsNullOrWhiteSpace(provider) && !Enum.TryParse<JobStorageProvider>(provider, ignoreCase: true, out _))
                return $"{JobStorageOptions.SectionName}:Provider must be Files or Redis (was '{provider}').";

            configuration.GetSection(SiloHostingOptions.SectionName).Bind(silo);
            var result = new SiloHostingOptionsValidator().Validate(Options.DefaultName, silo);
            if (result.Failed) return result.Failures.First();

            var tlsOptions = new TlsHostingOptions();
            configuration.GetSection(TlsHostingOptions.SectionName).Bind(tlsOptions);
            tls = TlsHostingExtensions.LoadCredentials(tlsOptions);

            var storage = new JobStorageOptions();
            configuration.GetSection(JobStorageOptions.SectionName).Bind(storage);
            storage.Validate();
            var torch = new TorchRuntimeOptions();
            configuration.GetSection(TorchRuntimeOptions.SectionName).Bind(torch);
            torch.Validate();
            var jobs = new JobQueueOptions();
            configuration.GetSection(JobQueueOptions.SectionName).Bind(jobs);
            jobs.Validate();
            // LibTorch from a folder is loaded now, before anything touches a tensor; a folder that cannot serve is one line
            // naming the setting it came from.
            bool fromSetting = torch.LibTorchPath is { Length: > 0 };
            var folder = fromSetting ? torch.LibTorchPath : Environment.GetEnvironmentVariable(LibTorchFolder.Variable);
            string libTorch = $"LibTorch {LibTorchFolder.ExpectedVersion} (the program's own)";
            if (!string.IsNullOrEmpty(folder))
            {
                try
                {
                    var (version, warning) = LibTorchFolder.Load(folder);
                    libTorch = $"LibTorch {version} from {LibTorchFolder.Loaded}";
                    if (warning is not null) Console.Error.WriteLine($"warning: {warning}");
                }
                catch (ArgumentException e) when (fromSetting)
                {
                    return e.Message.Replace($"{LibTorchFolder.Variable}:", $"{TorchRuntimeOptions.SectionName}:{nameof(TorchRuntimeOptions.LibTorchPath)}:");
                }
            }
            // The device is checked now too: a silo that cannot compute where it is told must not join the cluster and
            // then fail every job placed on it.
            string device;
            try
            {
                device = TorchDevices.ResolveSetting(torch.Device).ToString();
            }
            catch (ArgumentException)
            {
                return $"{TorchRuntimeOptions.SectionName}:Device is '{torch.Device}' but this silo sees no CUDA device ({libTorch} is a CPU build, or no GPU is visible): " +
                       $"set {TorchRuntimeOptions.SectionName}:Device to cpu or auto, or load a CUDA LibTorch with {TorchRuntimeOptions.SectionName}:LibTorchPath " +
                       $"(or {LibTorchFolder.Variable}), such as an installed PyTorch's site-packages/torch/lib.";
            }
            // What the host around the silo must offer: its ports free, and the Redis it uses answering.
            if (StartupChecks.PortInUse(silo) is { } port) return port;
            if (StartupChecks.RedisUnreachable(silo, storage) is { } redis) return redis;
            Console.Out.WriteLine($"torch: {libTorch}, device {device}" + (torch.Device == "auto" ? " (auto)" : "") +
                                  $", {(torch.Threads > 0 ? torch.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{Environment.ProcessorCount} (one per core)")} intra-op thread(s)");
            return null;
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the key and the type: "Failed to convert configuration value '...' at 'Silo:SiloPort' ...".
            return e.Message.Contains("'System.TimeSpan'", StringComparison.Ordinal) ? e.Message.TrimEnd('.') + " (a time span such as 00:00:10)." : e.Message;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
