using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using VaeCfCluster.Bench;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;

// vaecf-bench [--items 20108] [--users 500] [--clicks 73] [--steps 20] [--threads 0] [--precision fp32|tf32|bf16]
// One Mult-VAE training step at ML-20M shape (Liang et al. 2018: I = 20,108, batches of 500 users, about 73
// clicks each, [I-600-200-600-I]) next to the machine's measured matrix-multiply rate.
var settings = Settings.Parse(args);
if (settings.Threads > 0) torch.set_num_threads(settings.Threads);
Console.WriteLine($"threads {torch.get_num_threads()}, items {settings.Items}, users {settings.Users}, clicks/user {settings.Clicks}, steps {settings.Steps}, precision {settings.Precision.Name()}");

double gemmRate = MatmulRate(2048, 5);
double gemmRate4096 = MatmulRate(4096, 3);
double shapeRate = ShapedMatmulRate(settings.Users, 600, settings.Items, 10);
double bf16Rate = ShapedMatmulRate(2048, 2048, 2048, 5, torch.ScalarType.BFloat16);
double bf16ShapeRate = ShapedMatmulRate(settings.Users, 600, settings.Items, 10, torch.ScalarType.BFloat16);
Console.WriteLine($"matmul 2048^3: {gemmRate:F1} GFLOP/s; 4096^3: {gemmRate4096:F1} GFLOP/s; [{settings.Users}x600]x[600x{settings.Items}]: {shapeRate:F1} GFLOP/s");
Console.WriteLine($"bf16 matmul 2048^3: {bf16Rate:F1} GFLOP/s; [{settings.Users}x600]x[600x{settings.Items}]: {bf16ShapeRate:F1} GFLOP/s");

var clicks = RandomClicks(settings.Users, settings.Items, settings.Clicks, seed: 1);
var config = AutoencoderConfig.ForVae(settings.Items);
using var network = new AutoencoderNetwork(config, seed: 1) { Precision = settings.Precision };
var parameters = network.OrderedParameters.Select(p => (torch.Tensor)p.Tensor).ToArray();
using var adam = new AdamOptimizer(parameters, new AdamOptions());
var rows = Enumerable.Range(0, settings.Users).ToArray();
var (dense, executed) = StepFlops.Count(settings.Users, settings.Items, clicks.NonZeroCount, config.EncoderDims, vae: true);

double Step(int epoch, Stopwatch? gradientClock)
{
    var clock = Stopwatch.StartNew();
    GradientComputer.ClearGradients(network);
    GradientComputer.Accumulate(network, clicks, rows, 1, epoch, 0.2, rows.Length);
    gradientClock?.Stop();
    var gradientSeconds = clock.Elapsed.TotalSeconds;
    adam.Step(parameters.Select(p => p.grad!).ToArray());
    return gradientSeconds;
}

for (int i = 0; i < 3; i++) Step(i, null);
var times = new List<double>();
var gradientTimes = new List<double>();
for (int i = 0; i < settings.Steps; i++)
{
    var clock = Stopwatch.StartNew();
    gradientTimes.Add(Step(100 + i, null));
    times.Add(clock.Elapsed.TotalSeconds);
}
times.Sort();
gradientTimes.Sort();
double median = times[times.Count / 2], gradientMedian = gradientTimes[gradientTimes.Count / 2];
Console.WriteLine($"parameters {network.ParameterCount:N0}; clicks in batch {clicks.NonZeroCount:N0}");
Console.WriteLine($"step FLOPs: dense-equivalent {dense / 1e9:F1} GFLOP, executed {executed / 1e9:F1} GFLOP");
Console.WriteLine($"step time: median {median * 1000:F0} ms (min {times[0] * 1000:F0}, max {times[^1] * 1000:F0}); gradient part {gradientMedian * 1000:F0} ms, Adam {(median - gradientMedian) * 1000:F0} ms");
Console.WriteLine($"achieved: {executed / median / 1e9:F1} GFLOP/s executed ({executed / median / 1e9 / gemmRate:P0} of the 2048^3 matmul rate), {dense / median / 1e9:F1} GFLOP/s dense-equivalent");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT items={settings.Items} users={settings.Users} precision={settings.Precision.Name()} step_ms={median * 1000:F1} gradient_ms={gradientMedian * 1000:F1} executed_gflop={executed / 1e9:F2} dense_gflop={dense / 1e9:F2} gemm_gflops={gemmRate:F1} achieved_gflops={executed / median / 1e9:F1} fraction={executed / median / 1e9 / gemmRate:F3}"));

static double MatmulRate(int n, int repeats) => ShapedMatmulRate(n, n, n, repeats);

static double ShapedMatmulRate(int m, int k, int n, int repeats, torch.ScalarType type = torch.ScalarType.Float32)
{
    using var a = torch.randn(m, k).to(type);
    using var b = torch.randn(k, n).to(type);
    using (var warm = a.matmul(b)) { }
    var clock = Stopwatch.StartNew();
    for (int i = 0; i < repeats; i++) using (a.matmul(b)) { }
    return 2.0 * m * n * k * repeats / clock.Elapsed.TotalSeconds / 1e9;
}

static ClickMatrix RandomClicks(int users, int items, int perUser, ulong seed)
{
    var rowsList = new int[users * perUser];
    var cols = new int[users * perUser];
    for (int u = 0; u < users; u++)
        for (int j = 0; j < perUser; j++)
        {
            rowsList[u * perUser + j] = u;
            // Power-law-ish popularity: square a uniform draw so low item ids are clicked more.
            double r = CounterRandom.Uniform(seed, 9, 0, (ulong)u, (ulong)j);
            cols[u * perUser + j] = (int)(r * r * items);
        }
    return ClickMatrix.FromPairs(users, items, rowsList, cols);
}

internal sealed record Settings(int Items, int Users, int Clicks, int Steps, int Threads, MatmulPrecision Precision)
{
    public static Settings Parse(string[] args)
    {
        int Get(string name, int fallback)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }
        int p = Array.IndexOf(args, "--precision");
        var precision = MatmulPrecision.Fp32;
        if (p >= 0 && (p + 1 >= args.Length || !MatmulPrecisionNames.TryParse(args[p + 1], out precision)))
            throw new ArgumentException($"--precision takes {MatmulPrecisionNames.Choices}.");
        return new Settings(Get("--items", 20_108), Get("--users", 500), Get("--clicks", 73), Get("--steps", 20), Get("--threads", 0), precision);
    }
}
