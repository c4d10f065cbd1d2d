using VaeCfCluster.Silo.Tests.Support;

namespace VaeCfCluster.Silo.Tests;

/// <summary>Bad settings end a real <c>vaecf-silo</c> process with one line naming the setting, and no stack trace.</summary>
public sealed class SiloSettingsTests
{
    [Theory(Timeout = 60_000)]
    [InlineData("Silo__Clustering", "Redis", "Silo:RedisConnectionString is required when Silo:Clustering is Redis")]
    [InlineData("Silo__Clustering", "Kubernetes", "Silo:RedisConnectionString is required when Silo:Clustering is Kubernetes")]
    [InlineData("Silo__SiloPort", "0", "Silo:SiloPort must be a TCP port from 1 to 65535 (was 0)")]
    [InlineData("Silo__Clustering", "Cloud", "Silo:Clustering must be Localhost, Redis or Kubernetes (was 'Cloud')")]
    [InlineData("Silo__GatewayPort", "many", "'Silo:GatewayPort'")]
    [InlineData("Storage__Directory", " ", "Storage:Directory must name a folder")]
    [InlineData("Storage__Provider", "Redis", "Storage:RedisConnectionString is required when Storage:Provider is Redis")]
    [InlineData("Jobs__MaxConcurrent", "0", "Jobs:MaxConcurrent must be at least 1 (was 0)")]
    [InlineData("Torch__LibTorchPath", "/nonexistent/torch/lib", "the LibTorch folder /nonexistent/torch/lib does not exist")]
    [InlineData("VAECF_LIBTORCH", "/", "holds no libc10.so")]
    public async Task SiloProgram_BadSetting_ExitsWithOneLineNamingTheSetting(string variable, string value, string expected)
    {
        var result = await SiloProcess.RunToExitAsync(new Dictionary<string, string?> { [variable] = value }, TimeSpan.FromSeconds(45));

        string all = $"exit {result.ExitCode}\n--- stdout\n{result.StandardOutput}--- stderr\n{result.StandardError}";
        Assert.True(result.ExitCode == 2, all);
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, all);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("   at ", result.StandardOutput + result.StandardError);
    }

    [Fact(Timeout = 60_000)]
    public async Task SiloProgram_CommandLineSetting_OverridesEnvironment()
    {
        // The environment says 12345 (valid); the command line, read last, says 0 (invalid) and must win.
        var result = await SiloProcess.RunToExitAsync(new Dictionary<string, string?> { ["Silo__SiloPort"] = "12345" },
            TimeSpan.FromSeconds(45), "--Silo:SiloPort=0");

        Assert.True(result.ExitCode == 2, result.StandardOutput + result.StandardError);
        Assert.Equal("error: Silo:SiloPort must be a TCP port from 1 to 65535 (was 0).", result.StandardError.Trim());
    }
}
