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
    /// Binds and validates the Silo, Tls, Storage, Torch and Jobs sections; returns the first problem, or null. With
    /// <c>Tls:Enabled</c>, <paramref name="tls"/> holds the loaded certificate files; otherwise it is null.
    /// </summary>
    public static string? FindProblem(IConfiguration configuration, out SiloHostingOptions silo, out TlsCredentials? tls)
    {
        silo = new SiloHostingOptions();
        tls = null;
        try
        {
            var clustering = configuration[$"{SiloHostingOptions.SectionName}:{nameof(SiloHostingOptions.Clustering)}"];
            if (!string.IsNullOrWhiteSpace(clustering) && !Enum.TryParse<ClusteringMode>(clustering, ignoreCase: true, out _))
                return $"{SiloHostingOptions.SectionName}:Clustering must be Localhost, Redis or Kubernetes (was '{clustering}').";

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
            // LibTorch from a folder is loaded now, before anything touches a tensor; a folder that cannot serve is one line.
            var folder = torch.LibTorchPath is { Length: > 0 } path ? path : Environment.GetEnvironmentVariable(LibTorchFolder.Variable);
            if (!string.IsNullOrEmpty(folder))
            {
                var (version, warning) = LibTorchFolder.Load(folder);
                Console.Out.WriteLine($"libtorch: {version} from {LibTorchFolder.Loaded}");
                if (warning is not null) Console.Error.WriteLine($"warning: {warning}");
            }
            return null;
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the key and the type: "Failed to convert configuration value '...' at 'Silo:SiloPort' ...".
            return e.Message;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
