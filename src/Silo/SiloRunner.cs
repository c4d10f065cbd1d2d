using Microsoft.Extensions.Options;

namespace VaeCfCluster.Silo;

/// <summary>Runs the built silo host until shutdown and turns a failed start into one line on standard error.</summary>
internal static class SiloRunner
{
    /// <summary>Exit code when the silo could not start or stopped with an error.</summary>
    public const int FailedExitCode = 1;

    public static async Task<int> RunAsync(WebApplication app)
    {
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (OptionsValidationException e)
        {
            Console.Error.WriteLine($"error: {string.Join(" ", e.Failures)}");
            return StartupSettings.BadSettingsExitCode;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("VAECF_DEBUG") != "1")
        {
            var root = e.GetBaseException();
            var detail = ReferenceEquals(root, e) ? "" : $" ({root.GetType().Name}: {root.Message})";
            Console.Error.WriteLine($"error: silo failed: {e.GetType().Name}: {e.Message}{detail} (set VAECF_DEBUG=1 for details)");
            return FailedExitCode;
        }
    }
}
