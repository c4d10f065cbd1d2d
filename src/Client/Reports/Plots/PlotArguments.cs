namespace VaeCfCluster.Client.Reports.Plots;

/// <summary>Input checks shared by the plots; each failure is an ArgumentException naming the argument.</summary>
internal static class PlotArguments
{
    /// <summary>Rejects a null text (an empty one is allowed and means "draw nothing").</summary>
    public static void RequireText(string? value, string paramName, string what)
    {
        if (value is null)
            throw new ArgumentNullException(paramName, $"{what} is null; pass \"\" for none.");
    }

    /// <summary>Rejects ±∞; NaN is allowed and means "not measured, skip it".</summary>
    public static void RequireFiniteOrNaN(double value, string paramName, string what)
    {
        if (double.IsInfinity(value))
            throw new ArgumentException($"{what} is {value}; only finite numbers or NaN (skipped) are allowed.", paramName);
    }

    /// <summary>Rejects a negative or infinite standard error; NaN is allowed and draws no error bar.</summary>
    public static void RequireStandardError(double value, string paramName, string what)
    {
        if (double.IsInfinity(value) || value < 0)
            throw new ArgumentException($"{what} is {value}; a standard error must be ≥ 0 or NaN (no error bar).", paramName);
    }

    /// <summary>Rejects a null or empty list.</summary>
    public static void RequireNonEmpty<T>(IReadOnlyList<T>? list, string paramName, string what)
    {
        if (list is null)
            throw new ArgumentNullException(paramName, $"{what} is null.");
        if (list.Count == 0)
            throw new ArgumentException($"{what} is empty.", paramName);
    }
}
