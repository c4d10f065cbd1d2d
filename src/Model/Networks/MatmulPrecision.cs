namespace VaeCfCluster.Model.Networks;

/// <summary>
/// How the network's dense matrix products compute. Weights, Adam state, the first layer (a sparse gather-sum), the
/// softmax and the log-sum-exp stay float32 in every mode; only the products change.
/// </summary>
public enum MatmulPrecision
{
    /// <summary>float32 products (default; bit-reproducible on the CPU).</summary>
    Fp32 = 0,

    /// <summary>TensorFloat-32 products on CUDA (10-bit mantissa inputs, float32 accumulation); float32 on the CPU.</summary>
    Tf32 = 1,

    /// <summary>
    /// bfloat16 products with float32 master weights: inputs and weights are cast to bfloat16 for each product (AVX-512
    /// BF16 or AMX on the CPU, tensor cores on CUDA), accumulation is float32 and results return to float32.
    /// </summary>
    Bf16 = 2,
}

/// <summary>Names of <see cref="MatmulPrecision"/> as options and settings spell them (fp32, tf32, bf16).</summary>
public static class MatmulPrecisionNames
{
    /// <summary>The accepted names.</summary>
    public const string Choices = "fp32, tf32 or bf16";

    /// <summary>The option spelling of <paramref name="precision"/>.</summary>
    public static string Name(this MatmulPrecision precision) => precision switch
    {
        MatmulPrecision.Fp32 => "fp32",
        MatmulPrecision.Tf32 => "tf32",
        MatmulPrecision.Bf16 => "bf16",
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown precision."),
    };

    /// <summary>Parses fp32, tf32 or bf16 (case-insensitive); false for anything else.</summary>
    public static bool TryParse(string? text, out MatmulPrecision precision)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "fp32" or "float32": precision = MatmulPrecision.Fp32; return true;
            case "tf32": precision = MatmulPrecision.Tf32; return true;
            case "bf16" or "bfloat16": precision = MatmulPrecision.Bf16; return true;
            default: precision = MatmulPrecision.Fp32; return false;
        }
    }
}
