using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using VaeCfCluster.Bench;
using VaeCfCluster.Model;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;

// vaecf-bench [--items 20108] [--users 500] [--clicks 73] [--steps 20] [--threads 0] [--precision fp32|tf32|bf16]
//             [--device cpu|cuda] [--assembly auto|host|device] [--score-users 10000]
// One Mult-VAE training step at ML-20M shape (Liang et al. 2018: I = 20,108, batches of 500 users, about 73
// clicks each, [I-600-200-600-I]) next to the machine's measured matrix-multiply rate, taken by the trainer's own
// step executor. With batches assembled on the device, steps queue without waiting, so the step time is a block of
// steps divided by their number, ended by reading their losses (which waits for the device). Then scoring
// --score-users users with the top 100 items, as validation does.
var settings = Settings.Parse(args);
LibTorchFolder.LoadFromEnvironment();
if (settings.Threads > 0) torch.set_num_threads(settings.Threads);
var device = TorchDevices.Resolve(settings.Device);
Console.WriteLine($"threads {torch.get_num_threads()}, device {device}, items {settings.Items}, users {settings.Users}, clicks/user {settings.Clicks}, " +
                  $"steps {settings.Steps}, precision {settings.Precision.Name()}, assembly {settings.Assembly}");

double gemmRate = MatmulRate(2048, 5, device);
double shapeRate = ShapedMatmulRate(settings.Users, 600, settings.Items, 10, device);
double bf16Rate = ShapedMatmulRate(2048, 2048, 2048, 5, device, torch.ScalarType.BFloat16);
double bf16ShapeRate = ShapedMatmulRate(settings.Users, 600, settings.Items, 10, device, torch.ScalarType.BFloat16);
Console.WriteLine($"matmul 2048^3: {gemmRate:F1} GFLOP/s; [{settings.Users}x600]x[600x{settings.Items}]: {shapeRate:F1} GFLOP/s");
Console.WriteLine($"bf16 matmul 2048^3: {bf16Rate:F1} GFLOP/s; [{settings.Users}x600]x[600x{settings.Items}]: {bf16ShapeRate:F1} GFLOP/s");

// Enough users for every timed step to take a fresh batch, as an epoch does.
int trainUsers = settings.Users * Math.Max(1, Math.Min(settings.Steps, 8));
var clicks = RandomClicks(trainUsers, settings.Items, settings.Clicks, seed: 1);
var config = AutoencoderConfig.ForVae(settings.Items);
using var network = new AutoencoderNetwork(config, seed: 1, device) { Precision = settings.Precision };
var parameters = network.OrderedParameters.Select(p => (torch.Tensor)p.Tensor).ToArray();
using var adam = new AdamOptimizer(parameters, new AdamOptions());
var itemIds = Enumerable.Range(0, settings.Items).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
var empty = new HeldOutUsers(ClickMatrix.FromPairs(0, settings.Items, [], []), ClickMatrix.FromPairs(0, settings.Items, [], []), []);
var split = new DataSplit(itemIds, clicks, itemIds.Take(0).Concat(Enumerable.Range(0, trainUsers).Select(u => $"u{u}")).ToArray(), empty, empty);
var options = new TrainerOptions { BatchAssembly = settings.Assembly, Precision = settings.Precision, Device = settings.Device };
using var executor = new LocalStepExecutor(network, adam, split, options);
var (dense, executed) = StepFlops.Count(settings.Users, settings.Items, settings.Users * settings.Clicks, config.EncoderDims, vae: true);

long stepNumber = 0;
void RunSteps(int count)
{
    for (int i = 0; i < count; i++, stepNumber++)
    {
        int start = (int)(stepNumber % (trainUsers / settings.Users)) * settings.Users;
        var rows = Enumerable.Range(start, settings.Users).ToArray();
        executor.StepAsync(new TrainingStep(1 + (int)(stepNumber / 8), stepNumber, rows, 0.2), CancellationToken.None).GetAwaiter().GetResult();
    }
    executor.ReadDeferredLossesAsync(CancellationToken.None).GetAwaiter().GetResult();
}

RunSteps(3);
var blocks = new List<double>();
var times = new List<double>();
for (int block = 0; block < 3; block++)
{
    var clock = Stopwatch.StartNew();
    RunSteps(settings.Steps);
    blocks.Add(clock.Elapsed.TotalSeconds / settings.Steps);
}
for (int i = 0; i < Math.Min(settings.Steps, 10); i++)
{
    var clock = Stopwatch.StartNew();
    RunSteps(1);
    times.Add(clock.Elapsed.TotalSeconds);
}
blocks.Sort();
times.Sort();
double median = blocks[1];
Console.WriteLine($"parameters {network.ParameterCount:N0}; clicks per batch {settings.Users * settings.Clicks:N0}; " +
                  $"batches on the {(LocalStepExecutor.UsesDevice(settings.Assembly, device) ? "device" : "host")}");
Console.WriteLine($"step FLOPs: dense-equivalent {dense / 1e9:F1} GFLOP, executed {executed / 1e9:F1} GFLOP");
Console.WriteLine($"step time: {median * 1000:F2} ms (median of 3 blocks of {settings.Steps} steps; blocks {string.Join(", ", blocks.Select(b => (b * 1000).ToString("F2", CultureInfo.InvariantCulture)))} ms); " +
                  $"one step waited for alone: median {times[times.Count / 2] * 1000:F2} ms");
Console.WriteLine($"users/s: {settings.Users / median:F0}");
Console.WriteLine($"achieved: {executed / median / 1e9:F1} GFLOP/s executed ({executed / median / 1e9 / gemmRate:P0} of the fp32 2048^3 matmul rate), {dense / median / 1e9:F1} GFLOP/s dense-equivalent");

double scoringMs = double.NaN;
if (settings.ScoreUsers > 0)
{
    // Each user's clicks on even items are the fold-in, those on odd items the held-out ones.
    var all = RandomClicks(settings.ScoreUsers, settings.Items, settings.Clicks, seed: 2);
    var (foldIn, heldOut) = (ByParity(all, 0), ByParity(all, 1));
    var users = new HeldOutUsers(foldIn, heldOut, Enumerable.Range(0, settings.ScoreUsers).Select(u => $"h{u}").ToArray());
    var evaluator = new RankingEvaluator([RankingMetric.Ndcg(100)], settings.ScoreUsers);
    var scorer = new AutoencoderScorer(network);
    evaluator.Evaluate(scorer, users);
    var scoring = new List<double>();
    for (int i = 0; i < 5; i++)
    {
        var clock = Stopwatch.StartNew();
        evaluator.Evaluate(scorer, users);
        scoring.Add(clock.Elapsed.TotalMilliseconds);
    }
    scoring.Sort();
    scoringMs = scoring[2];
    Console.WriteLine($"scoring {settings.ScoreUsers} users x {settings.Items} items with top 100 and NDCG@100: median {scoringMs:F1} ms (min {scoring[0]:F1}, max {scoring[^1]:F1})");
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT device={device} items={settings.Items} users={settings.Users} precision={settings.Precision.Name()} assembly={settings.Assembly} step_ms={median * 1000:F2} users_per_s={settings.Users / median:F0} executed_gflop={executed / 1e9:F2} dense_gflop={dense / 1e9:F2} gemm_gflops={gemmRate:F1} achieved_gflops={executed / median / 1e9:F1} fraction={executed / median / 1e9 / gemmRate:F3} scoring_ms={scoringMs:F1}"));

static double MatmulRate(int n, int repeats, torch.Device device) => ShapedMatmulRate(n, n, n, repeats, device);

static double ShapedMatmulRate(int m, int k, int n, int repeats, torch.Device device, torch.ScalarType type = torch.ScalarType.Float32)
{
    using var a = torch.randn(m, k).to(type).to(device);
    using var b = torch.randn(k, n).to(type).to(device);
    using var sum = torch.zeros(1, device: device);
    using (var warm = a.matmul(b)) sum.add_(warm.sum().to(torch.ScalarType.Float32));
    using (var wait = sum.cpu()) { }
    var clock = Stopwatch.StartNew();
    for (int i = 0; i < repeats; i++) using (var c = a.matmul(b)) using (var s = c.sum().to(torch.ScalarType.Float32)) sum.add_(s);
    using (var wait = sum.cpu()) { }
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

static ClickMatrix ByParity(ClickMatrix clicks, int parity)
{
    var rows = new List<int>();
    var cols = new List<int>();
    for (int u = 0; u < clicks.RowCount; u++)
        foreach (int i in clicks.Row(u))
            if (i % 2 == parity)
            {
                rows.Add(u);
                cols.Add(i);
            }
    return ClickMatrix.FromPairs(clicks.RowCount, clicks.ColumnCount, rows.ToArray(), cols.ToArray());
}

internal sealed record Settings(int Items, int Users, int Clicks, int Steps, int Threads, MatmulPrecision Precision, string Device,
    BatchAssembly Assembly, int ScoreUsers)
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
        string Text(string name, string fallback)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        if (!Enum.TryParse<BatchAssembly>(Text("--assembly", "auto"), ignoreCase: true, out var assembly))
            throw new ArgumentException("--assembly takes auto, host or device.");
        return new Settings(Get("--items", 20_108), Get("--users", 500), Get("--clicks", 73), Get("--steps", 20), Get("--threads", 0), precision,
            Text("--device", "cpu"), assembly, Get("--score-users", 10_000));
    }
}
