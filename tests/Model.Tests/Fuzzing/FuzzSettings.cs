using System.Globalization;

namespace VaeCfCluster.Model.Tests.Fuzzing;

/// <summary>
/// How much the fuzz tests run: <c>VAECF_FUZZ_INPUTS</c> inputs per format (default 10,000, the CI setting) from seed
/// <c>VAECF_FUZZ_SEED</c> (default 16), so a failure reproduces with the same two numbers.
/// </summary>
internal static class FuzzSettings
{
    public const int DefaultInputs = 10_000;
    public const int DefaultSeed = 16;

    public static int Inputs => Read("VAECF_FUZZ_INPUTS", DefaultInputs);

    public static int Seed => Read("VAECF_FUZZ_SEED", DefaultSeed);

    /// <summary>Wall-clock limit for one format's run: generous for long runs, and a hang fails instead of blocking CI.</summary>
    public static TimeSpan TotalTimeout => TimeSpan.FromSeconds(60 + Inputs / 100.0);

    private static int Read(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : fallback;
}
