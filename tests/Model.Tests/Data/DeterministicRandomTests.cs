using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Data;

public sealed class DeterministicRandomTests
{
    [Fact]
    public void NextUInt64_Seed98765_MatchesIndependentXoshiro256StarStar()
    {
        // Values from a separate Python implementation of SplitMix64 seeding + xoshiro256** (Blackman & Vigna).
        var random = new DeterministicRandom(98765);

        Assert.Equal(0x07f45811b69dc74dUL, random.NextUInt64());
        Assert.Equal(0x6312fe50ac734938UL, random.NextUInt64());
        Assert.Equal(0x3892ec04ceab94c5UL, random.NextUInt64());
    }

    [Fact]
    public void NextInt_SmallBound_IsRoughlyUniformAndInRange()
    {
        var random = new DeterministicRandom(1);
        var counts = new int[7];
        for (int k = 0; k < 70_000; k++) counts[random.NextInt(7)]++;

        // Each count ~ Binomial(70000, 1/7): mean 10000, sd ~ 92; 500 is over 5 sd.
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }

    [Fact]
    public void Shuffle_SameSeed_SamePermutation()
    {
        int[] a = [.. Enumerable.Range(0, 50)], b = [.. Enumerable.Range(0, 50)];
        new DeterministicRandom(5).Shuffle(a);
        new DeterministicRandom(5).Shuffle(b);

        Assert.Equal(a, b);
        Assert.NotEqual(Enumerable.Range(0, 50), a);
        Assert.Equal(Enumerable.Range(0, 50), a.Order());
    }
}
