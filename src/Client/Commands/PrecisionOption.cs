using System.CommandLine;
using VaeCfCluster.Model.Networks;

namespace VaeCfCluster.Client.Commands;

/// <summary><c>--precision fp32|tf32|bf16</c>, as <c>vaecf train</c> and <c>vaecf tune</c> take it.</summary>
internal static class PrecisionOption
{
    /// <summary>A new <c>--precision</c> option with <paramref name="description"/>; a value other than the three names is refused, naming them.</summary>
    public static Option<MatmulPrecision> Create(string description) => new("--precision")
    {
        Description = description,
        HelpName = "fp32|tf32|bf16",
        CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (MatmulPrecisionNames.TryParse(text, out var precision)) return precision;
            result.AddError($"--precision must be {MatmulPrecisionNames.Choices} (was '{text}').");
            return MatmulPrecision.Fp32;
        },
    };
}
