using System.Globalization;
using System.Runtime.CompilerServices;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace VaeCfCluster.Model.Tests.Fuzzing;

/// <summary>
/// Runs an FsCheck property from a seed that can be replayed: <c>VAECF_FUZZ_SEED</c> when set (a positive integer, as
/// for the mutation fuzzers), otherwise a fresh random one each run (it is fuzzing). A failure names the seed and the
/// variable that replays it, before FsCheck's own report (the original and the shrunk input).
/// </summary>
internal static class PropertyRuns
{
    public const string SeedVariable = "VAECF_FUZZ_SEED";

    /// <summary>
    /// Checks that <paramref name="property"/> holds (returns without throwing) for <paramref name="maxTest"/> inputs
    /// from <paramref name="arbitrary"/>; each property (named by <paramref name="name"/>) draws its own stream from the seed.
    /// </summary>
    public static void Check<T>(Arbitrary<T> arbitrary, int maxTest, Action<T> property, [CallerMemberName] string name = "")
    {
        int seed = Seed();
        var replay = new Replay(new Rnd((ulong)seed << 32 | StableHash(name)), FSharpOption<int>.None);
        var config = Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithReplay(FSharpOption<Replay>.Some(replay));
        try
        {
            FsCheck.Check.One(config, Prop.ForAll(arbitrary, property));
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException(
                string.Create(CultureInfo.InvariantCulture, $"{name} failed with FsCheck seed {seed}; replay with {SeedVariable}={seed}.\n{e.Message}"), e);
        }
    }

    /// <summary><c>VAECF_FUZZ_SEED</c> when it is a positive integer, otherwise a random positive one.</summary>
    private static int Seed() =>
        int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : System.Random.Shared.Next(1, int.MaxValue);

    /// <summary>FNV-1a of the property's name: the same in every process (string.GetHashCode is not).</summary>
    private static uint StableHash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text) hash = (hash ^ c) * 16777619;
        return hash;
    }
}
