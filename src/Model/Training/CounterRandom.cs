namespace VaeCfCluster.Model.Training;

/// <summary>
/// Stateless, counter-based random numbers: each value is a hash of (seed, stream, epoch, user, index), so a
/// user's dropout mask and latent noise in an epoch are the same whichever worker or batch the user lands in,
/// and a resumed run draws exactly what an uninterrupted one would. The hash is SplitMix64's finaliser applied
/// to a chained mix of the counters.
/// </summary>
public static class CounterRandom
{
    /// <summary>Stream for input dropout masks.</summary>
    public const ulong DropoutStream = 0xD50F;

    /// <summary>Stream for the VAE's reparametrisation noise ε.</summary>
    public const ulong NoiseStream = 0x7A15E;

    /// <summary>Stream for the per-epoch user shuffle.</summary>
    public const ulong ShuffleStream = 0x5F1E;

    /// <summary>A 64-bit hash of the counters.</summary>
    public static ulong Hash(ulong seed, ulong stream, ulong epoch, ulong user, ulong index) =>
        Mix(UserHash(seed, stream, epoch, user) ^ index);

    /// <summary>
    /// The hash state after (seed, stream, epoch, user): <see cref="Hash"/> is <c>Mix(UserHash(...) ^ index)</c>, so a
    /// device can finish a user's hashes for many indices from this one number.
    /// </summary>
    public static ulong UserHash(ulong seed, ulong stream, ulong epoch, ulong user)
    {
        ulong h = Mix(seed ^ 0x9E3779B97F4A7C15UL);
        h = Mix(h ^ stream);
        h = Mix(h ^ epoch);
        return Mix(h ^ user);
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits: the hash's top 53 bits times 2^-53.</summary>
    public static double Uniform(ulong seed, ulong stream, ulong epoch, ulong user, ulong index) =>
        (Hash(seed, stream, epoch, user, index) >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal draw (Box-Muller on two counter-derived uniforms).</summary>
    public static double Normal(ulong seed, ulong stream, ulong epoch, ulong user, ulong index)
    {
        double u1 = 1.0 - Uniform(seed, stream, epoch, user, 2 * index);
        double u2 = Uniform(seed, stream, epoch, user, 2 * index + 1);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A permutation of 0..count-1 (Fisher-Yates driven by the counters), e.g. the epoch's user order.</summary>
    public static int[] Permutation(int count, ulong seed, ulong epoch)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        for (int i = count - 1; i > 0; i--)
        {
            int j = (int)(Hash(seed, ShuffleStream, epoch, 0, (ulong)i) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>SplitMix64's finaliser (with its increment), the step every counter goes through.</summary>
    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
