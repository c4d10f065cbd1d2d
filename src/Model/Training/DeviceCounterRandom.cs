using TorchSharp;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Training;

/// <summary>
/// <see cref="CounterRandom"/> on a device: SplitMix64's finaliser on int64 tensors, so dropout masks and latent noise
/// are drawn where the batch lives, bit for bit the host's numbers. int64 arithmetic wraps like ulong's; logical right
/// shifts are arithmetic shifts with the sign-extended bits masked off. Holds its shift amounts and masks as small
/// tensors on the device (made once), so drawing copies nothing from the host.
/// </summary>
public sealed class DeviceCounterRandom : IDisposable
{
    private static readonly Scalar Increment = unchecked((long)0x9E3779B97F4A7C15UL).ToScalar();
    private static readonly Scalar Multiplier1 = unchecked((long)0xBF58476D1CE4E5B9UL).ToScalar();
    private static readonly Scalar Multiplier2 = unchecked((long)0x94D049BB133111EBUL).ToScalar();
    private static readonly Scalar TwoPi = (2.0 * Math.PI).ToScalar();
    private static readonly Scalar MinusTwo = (-2.0).ToScalar();
    private static readonly Scalar UnitScale = (1.0 / (1UL << 53)).ToScalar();
    private static readonly Scalar Zero = 0.0f.ToScalar();

    private readonly Dictionary<int, (Tensor Amount, Tensor Mask)> _shifts = [];

    /// <summary>Makes the constants on <paramref name="device"/>.</summary>
    public DeviceCounterRandom(Device device)
    {
        Device = device;
        foreach (int k in new[] { 11, 27, 30, 31 })
            _shifts[k] = (torch.tensor((long)k, device: device).DetachFromDisposeScope(),
                torch.tensor((long)((1UL << (64 - k)) - 1), device: device).DetachFromDisposeScope());
    }

    /// <summary>Where the draws are made.</summary>
    public Device Device { get; }

    /// <summary><see cref="CounterRandom.Mix"/> of every element of an int64 tensor.</summary>
    public Tensor Mix(Tensor z)
    {
        z = z.add(Increment, SafeTensorMath.OneInteger);
        z = z.bitwise_xor(ShiftRight(z, 30)).mul_(Multiplier1);
        z = z.bitwise_xor(ShiftRight(z, 27)).mul_(Multiplier2);
        return z.bitwise_xor(ShiftRight(z, 31));
    }

    /// <summary>
    /// Whether <see cref="CounterRandom.Uniform"/> of each hash state is below <paramref name="keep"/>: the hash's top
    /// 53 bits (an integer m, uniform = m·2^-53 exactly) against ⌈keep·2^53⌉, with no floating point.
    /// </summary>
    public Tensor UniformBelow(Tensor hashes, double keep)
    {
        long threshold = (long)Math.Ceiling(keep * (1UL << 53));
        using var bound = threshold.ToScalar();
        return ShiftRight(hashes, 11).lt(bound);
    }

    /// <summary>
    /// Standard normal draws [rows, count] like <see cref="CounterRandom.Normal"/>: row r's value k from the user
    /// hash <paramref name="userHashes"/>[r] and indices 2k and 2k + 1 (Box-Muller in float64, then float32).
    /// </summary>
    public Tensor Normal(Tensor userHashes, int count)
    {
        using var stop = (2L * count).ToScalar();
        var indices = torch.arange(SafeTensorMath.ZeroInteger, stop, SafeTensorMath.OneInteger, ScalarType.Int64, Device);
        var hashes = Mix(userHashes.unsqueeze(1).bitwise_xor(indices.unsqueeze(0)));
        var uniform = ShiftRight(hashes, 11).to(ScalarType.Float64).mul_(UnitScale).view(userHashes.shape[0], count, 2);
        var radius = uniform.select(2, 0).neg().add_(SafeTensorMath.One).log_().mul_(MinusTwo).sqrt_();
        var angle = uniform.select(2, 1).mul(TwoPi).cos_();
        return radius.mul_(angle).to(ScalarType.Float32);
    }

    /// <summary>float32 zeros where <paramref name="mask"/> is false, <paramref name="values"/> elsewhere.</summary>
    public static Tensor Where(Tensor mask, Tensor values) => values.masked_fill(mask.logical_not(), Zero);

    /// <summary>Logical (unsigned) right shift of an int64 tensor by one of the prepared amounts.</summary>
    private Tensor ShiftRight(Tensor z, int bits)
    {
        var (amount, mask) = _shifts[bits];
        return z.bitwise_right_shift(amount).bitwise_and(mask);
    }

    /// <summary>Frees the constants.</summary>
    public void Dispose()
    {
        foreach (var (amount, mask) in _shifts.Values)
        {
            amount.Dispose();
            mask.Dispose();
        }
    }
}
