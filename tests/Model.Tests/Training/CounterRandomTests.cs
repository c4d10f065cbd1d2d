using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Tests.Training;

public sealed class CounterRandomTests
{
    [Fact]
    public void Permutation_SameCounters_SameOrderAndEveryIndexOnce()
    {
        var a = CounterRandom.Permutation(1000, 5, 2);
        Assert.Equal(a, CounterRandom.Permutation(1000, 5, 2));
        Assert.Equal(Enumerable.Range(0, 1000), a.Order());
        Assert.NotEqual(a, CounterRandom.Permutation(1000, 5, 3));
    }

    [Fact]
    public void Uniform_ManyDraws_HaveUniformMoments()
    {
        const int n = 200_000;
        double sum = 0, sumSquares = 0;
        for (int i = 0; i < n; i++)
        {
            double u = CounterRandom.Uniform(1, 2, 3, (ulong)(i / 100), (ulong)(i % 100));
            sum += u;
            sumSquares += u * u;
        }
        Assert.Equal(0.5, sum / n, 2);
        Assert.Equal(1.0 / 12, sumSquares / n - Math.Pow(sum / n, 2), 2);
    }

    [Fact]
    public void Normal_ManyDraws_HaveStandardMoments()
    {
        const int n = 200_000;
        double sum = 0, sumSquares = 0;
        for (int i = 0; i < n; i++)
        {
            double z = CounterRandom.Normal(9, 1, 0, (ulong)i, 0);
            sum += z;
            sumSquares += z * z;
        }
        Assert.Equal(0.0, sum / n, 1);
        Assert.Equal(1.0, sumSquares / n, 1);
    }
}
