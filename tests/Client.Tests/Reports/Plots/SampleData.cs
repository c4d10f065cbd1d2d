using VaeCfCluster.Client.Reports.Plots;

namespace VaeCfCluster.Client.Tests.Reports.Plots;

/// <summary>Small inputs shaped like the paper's Figure 1, Figure 3 and Table 2.</summary>
internal static class SampleData
{
    public static LineSeries[] AnnealingCurves(string thirdLabel = "anneal to β = 0.2")
    {
        double[] epochs = Enumerable.Range(1, 60).Select(e => (double)e).ToArray();
        double[] Curve(Func<double, double> f) => epochs.Select(f).ToArray();
        return
        [
            new("no anneal", epochs, Curve(e => 0.36 * (1 - Math.Exp(-e / 8)))),
            new("anneal to β = 1", epochs, Curve(e => e < 30 ? 0.43 * (1 - Math.Exp(-e / 6)) : 0.43 - (e - 30) * 0.002)),
            new(thirdLabel, epochs, Curve(e => 0.435 * (1 - Math.Exp(-e / 6)))),
        ];
    }

    public static readonly string[] Models = ["Mult-VAE^PR", "Mult-DAE"];

    public static BarGroup[] Quintiles(string firstAnnotation = "***") =>
    [
        new("[0%, 20%]\n5-18 clicks", [0.30, 0.28], [0.006, 0.007], firstAnnotation),
        new("[20%, 40%]\n18-30 clicks", [0.34, 0.32], [0.006, 0.006], "**"),
        new("[40%, 60%]\n30-55 clicks", [0.38, 0.37], [0.005, 0.006], "*"),
        new("[60%, 80%]\n55-120 clicks", [0.42, 0.41], [0.005, 0.005], ""),
        new("[80%, 100%]\n120-3000 clicks", [0.46, 0.46], [0.005, 0.005], ""),
    ];

    public static (string Label, double Mean, double StandardError)[] Table2 =>
    [
        ("Mult-VAE^PR", 0.426, 0.002),
        ("Mult-DAE", 0.419, 0.002),
        ("WMF", 0.386, 0.002),
        ("SLIM", 0.401, 0.002),
        ("CDAE", 0.418, 0.002),
    ];
}
