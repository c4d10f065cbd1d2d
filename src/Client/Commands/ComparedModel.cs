using System.Globalization;
using VaeCfCluster.Model.Baselines;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Client.Commands;

/// <summary>
/// What <c>vaecf evaluate --compare-with</c> names: a second model file, or a baseline fit here on the split's training
/// users (<c>ease:λ</c>, <c>popularity</c>), so a trained model can be paired per user against EASE without saving EASE.
/// A file of that name wins over the baseline.
/// </summary>
internal static class ComparedModel
{
    /// <summary>The baseline <paramref name="value"/> names, fit on <paramref name="train"/>, and its display name; null when it names none.</summary>
    public static (IRecommenderScorer Scorer, string Name)? FitBaseline(string value, ClickMatrix train, TextWriter log)
    {
        if (File.Exists(value)) return null;
        if (value == "popularity") return (PopularityScorer.Fit(train), "popularity");
        if (EaseLambda(value) is not { } lambda)
        {
            ModelPath.Require("--compare-with", value);
            return null;
        }
        var text = value["ease:".Length..];
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fitting EASE (λ {lambda}) on {train.RowCount} training users to compare with"));
        return (EaseScorer.Fit(train, new EaseOptions { Lambda = lambda }), $"ease-lambda-{text}");
    }

    /// <summary>
    /// Refuses a <c>--compare-with</c> value that is neither a model file, <c>popularity</c> nor <c>ease:λ</c> with a
    /// positive λ; called before any data is read, so a typo does not wait for the first evaluation.
    /// </summary>
    public static void Check(string value)
    {
        if (File.Exists(value) || (value != "popularity" && EaseLambda(value) is null)) ModelPath.Require("--compare-with", value);
    }

    /// <summary>λ of an <c>ease:λ</c> value (refused unless positive and finite); null for any other value.</summary>
    private static double? EaseLambda(string value)
    {
        if (!value.StartsWith("ease:", StringComparison.Ordinal)) return null;
        var text = value["ease:".Length..];
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double lambda) || !(lambda > 0) || double.IsInfinity(lambda))
            throw new ArgumentException($"--compare-with {value}: EASE's λ must be a positive number (was '{text}').");
        return lambda;
    }
}
