using System.Globalization;
using System.Runtime.InteropServices;
using TorchSharp;

namespace VaeCfCluster.Model.Data;

/// <summary>
/// Generates click data from a planted latent-factor model with power-law item popularity:
/// <list type="bullet">
/// <item>item i (0-based) has base popularity p_i proportional to (i + 1)^-a and a factor v_i ~ N(0, I_d);</item>
/// <item>user u has a factor u ~ N(0, I_d / d), so &lt;u, v_i&gt; has unit variance, and a click count
/// n_u = min + floor(LogNormal(mu, sigma)), capped, with mu set so the mean is about the target;</item>
/// <item>user u's n_u items are drawn without replacement with probability proportional to
/// p_i exp(s &lt;u, v_i&gt;) (successive sampling; see <see cref="PlantedClickSampler"/>).</item>
/// </list>
/// Users are "u0".."u{U-1}" and items "i0".."i{I-1}" (i0 the most popular a priori). The factors, counts and draws
/// come from <see cref="DeterministicRandom"/> streams keyed by the seed (and the user), so the result does not depend
/// on thread scheduling. LibTorch computes the weights of 1,024 users at a time (one matrix product with extended
/// factors and an in-place exp); the draws then run on all cores. The ML-20M shape (about 10.0M clicks) takes 7-10 s on two shared cores.
/// Same seed, same data on a given machine; another CPU's float rounding could rarely change a draw.
/// </summary>
public static class SyntheticDataGenerator
{
    private const ulong CountStream = 1, ItemFactorStream = 2, UserFactorStream = 3, FirstUserStream = 16;
    private const float PaddingLogit = -1e30f;
    private const int UsersPerBatch = 1024;

    /// <summary>Generates the data set described by <paramref name="options"/>.</summary>
    public static ClickDataSet Generate(SyntheticDataOptions options)
    {
        options.Validate();
        int users = options.UserCount, items = options.ItemCount, d = options.LatentDimension;
        int padded = (items + PlantedClickSampler.BlockSize - 1) / PlantedClickSampler.BlockSize * PlantedClickSampler.BlockSize;
        float strength = (float)options.SignalStrength;

        // Extended factors make one product give the shifted log weight:
        // [s u, 1, -b_u] . [v_i; log p_i; 1] = s <u, v_i> + log p_i - b_u, where b_u = s |u| max_i |v_i| bounds
        // s <u, v_i> (Cauchy-Schwarz), so exp never overflows. Padding items get log p = -1e30 (weight 0).
        int width = d + 2;
        var itemFactors = new float[width * padded];
        var itemRandom = DeterministicRandom.ForStream(options.Seed, ItemFactorStream);
        double maxItemNorm = 0;
        for (int i = 0; i < items; i++)
        {
            double norm = 0;
            for (int k = 0; k < d; k++)
            {
                float v = (float)itemRandom.NextGaussian();
                itemFactors[k * padded + i] = v;
                norm += v * v;
            }
            maxItemNorm = Math.Max(maxItemNorm, Math.Sqrt(norm));
        }
        for (int i = 0; i < padded; i++)
        {
            itemFactors[d * padded + i] = i < items ? (float)(-options.PopularityExponent * Math.Log(i + 1)) : PaddingLogit;
            itemFactors[(d + 1) * padded + i] = 1;
        }

        var userFactors = new float[users * width];
        var userRandom = DeterministicRandom.ForStream(options.Seed, UserFactorStream);
        double userScale = 1 / Math.Sqrt(d);
        for (int u = 0; u < users; u++)
        {
            double norm = 0;
            for (int k = 0; k < d; k++)
            {
                double x = userRandom.NextGaussian() * userScale;
                userFactors[u * width + k] = (float)(strength * x);
                norm += x * x;
            }
            userFactors[u * width + d] = 1;
            userFactors[u * width + d + 1] = (float)(-strength * Math.Sqrt(norm) * maxItemNorm);
        }

        var counts = ClickCounts(options);
        var offsets = new int[users + 1];
        for (int u = 0; u < users; u++) offsets[u + 1] = offsets[u] + counts[u];
        var columns = new int[offsets[users]];

        // A batch's weights must fit one span (2 GB): at a million items that is about 500 users, not UsersPerBatch.
        int batchSize = Math.Min(users, Math.Min(UsersPerBatch, Math.Max(1, (int)(int.MaxValue / sizeof(float) / padded))));
        using (torch.no_grad())
        using (torch.NewDisposeScope())
        {
            var itemMatrix = torch.tensor(itemFactors, [width, padded]);
            var userMatrix = torch.tensor(userFactors, [users, width]);
            var weightBuffer = torch.empty(batchSize, padded);
            for (int start = 0; start < users; start += batchSize)
            {
                int n = Math.Min(batchSize, users - start);
                var weights = weightBuffer.narrow(0, 0, n);
                weights.addmm_(userMatrix.narrow(0, start, n), itemMatrix, beta: 0, alpha: 1).exp_();
                SampleBatch(options.Seed, start, n, weightBuffer, offsets, counts, columns, items);
            }
        }

        var matrix = new ClickMatrix(users, items, offsets, columns);
        return new ClickDataSet(matrix, Ids('u', users), Ids('i', items));
    }

    /// <summary>Draws the clicks of users [start, start + n) from the weights in the (CPU) buffers, in parallel.</summary>
    private static void SampleBatch(ulong seed, int start, int n, torch.Tensor weightBuffer,
        int[] offsets, int[] counts, int[] columns, int items)
    {
        int padded = (int)weightBuffer.shape[1];
        // Spans over the tensors' own memory; rebuilt per user because spans cannot enter the lambda.
        Parallel.For(0, n, () => new PlantedClickSampler(items, padded), (b, _, sampler) =>
        {
            int u = start + b;
            var weights = MemoryMarshal.Cast<byte, float>(weightBuffer.bytes).Slice(b * padded, padded);
            var random = DeterministicRandom.ForStream(seed, FirstUserStream + (ulong)u);
            sampler.Sample(weights, random, columns.AsSpan(offsets[u], counts[u]));
            return sampler;
        }, _ => { });
    }

    /// <summary>n_u = min + floor(LogNormal(mu, sigma)), capped, with E[LogNormal] = mean - min - 1/2.</summary>
    private static int[] ClickCounts(SyntheticDataOptions options)
    {
        var random = DeterministicRandom.ForStream(options.Seed, CountStream);
        double sigma = options.ClickCountSpread;
        double mu = Math.Log(Math.Max(options.MeanClicksPerUser - options.MinClicksPerUser - 0.5, 1e-3)) - sigma * sigma / 2;
        int max = options.EffectiveMaxClicksPerUser;
        var counts = new int[options.UserCount];
        for (int u = 0; u < counts.Length; u++)
            counts[u] = (int)Math.Min(options.MinClicksPerUser + Math.Floor(Math.Exp(mu + sigma * random.NextGaussian())), max);
        return counts;
    }

    private static string[] Ids(char prefix, int count)
    {
        var ids = new string[count];
        for (int k = 0; k < count; k++) ids[k] = prefix + k.ToString(CultureInfo.InvariantCulture);
        return ids;
    }
}
