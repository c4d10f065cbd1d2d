using System.Text.Json;
using TorchSharp;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;

namespace VaeCfCluster.Model.Tests.Networks;

/// <summary>
/// Mult-DAE's code activation: with a linear code the DAE [I-K-I] is ((x/‖x‖)·W₁ + b₁)·W₂ + b₂, with tanh (the paper's)
/// it is tanh((x/‖x‖)·W₁ + b₁)·W₂ + b₂; both recomputed here in doubles from the network's weights.
/// </summary>
public sealed class CodeActivationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-code-").FullName;

    // 3 users over 6 items.
    private static readonly ClickMatrix Clicks = ClickMatrix.FromPairs(3, 6, [0, 0, 1, 2, 2, 2, 2], [1, 4, 0, 0, 2, 3, 5]);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static AutoencoderConfig Dae(CodeActivation code) =>
        new() { Kind = ModelKind.Dae, ItemCount = 6, HiddenDims = [], LatentDim = 4, CodeActivation = code };

    /// <summary>The DAE's scores for every user, from the weights as doubles.</summary>
    private static double[,] ExpectedScores(AutoencoderNetwork network, bool linear)
    {
        var p = network.OrderedParameters.ToDictionary(x => x.Name, x => x.Tensor.data<float>().ToArray());
        int items = 6, k = 4;
        var scores = new double[Clicks.RowCount, items];
        for (int u = 0; u < Clicks.RowCount; u++)
        {
            var row = Clicks.Row(u).ToArray();
            double norm = 1 / Math.Sqrt(row.Length);
            var code = new double[k];
            for (int j = 0; j < k; j++)
            {
                double h = p["encoder.0.bias"][j] + row.Sum(i => norm * p["encoder.0.weight"][i * k + j]);
                code[j] = linear ? h : Math.Tanh(h);
            }
            for (int i = 0; i < items; i++)
                scores[u, i] = p["decoder.0.bias"][i] + Enumerable.Range(0, k).Sum(j => code[j] * p["decoder.0.weight"][j * items + i]);
        }
        return scores;
    }

    [Theory]
    [InlineData(CodeActivation.Linear)]
    [InlineData(CodeActivation.Tanh)]
    public void Forward_Dae_IsTheAffineMapsWithTheConfiguredCode(CodeActivation code)
    {
        using var network = new AutoencoderNetwork(Dae(code), seed: 9);
        using var scope = torch.NewDisposeScope();
        var batch = SparseBatch.Create(Clicks, [0, 1, 2], dropoutRate: 0, seed: 1, epoch: 0);
        var output = network.Forward(batch, noise: null).Output.data<float>().ToArray();
        var expected = ExpectedScores(network, linear: code == CodeActivation.Linear);
        var other = ExpectedScores(network, linear: code != CodeActivation.Linear);
        double worst = 0, fromOther = 0;
        for (int u = 0; u < 3; u++)
            for (int i = 0; i < 6; i++)
            {
                worst = Math.Max(worst, Math.Abs(output[u * 6 + i] - expected[u, i]));
                fromOther = Math.Max(fromOther, Math.Abs(output[u * 6 + i] - other[u, i]));
            }
        Assert.True(worst < 1e-5, $"largest difference from the expected scores {worst:E2}");
        Assert.True(fromOther > 1e-3, $"the other activation's scores are only {fromOther:E2} away: the test cannot tell them apart");
    }

    [Fact]
    public void Validate_LinearCodeOnTheVae_NamesTheSetting()
    {
        var error = Assert.Throws<ArgumentException>(() => (AutoencoderConfig.ForVae(6) with { CodeActivation = CodeActivation.Linear }).Validate());
        Assert.Contains(nameof(AutoencoderConfig.CodeActivation), error.Message);
    }

    [Fact]
    public void Json_TheDefaultIsNotWritten_SoOlderSettingsReadTheSame()
    {
        var tanh = JsonSerializer.Serialize(Dae(CodeActivation.Tanh));
        var linear = JsonSerializer.Serialize(Dae(CodeActivation.Linear));
        Assert.DoesNotContain("CodeActivation", tanh);
        Assert.Contains("\"CodeActivation\":\"Linear\"", linear);
        Assert.Equal(CodeActivation.Linear, JsonSerializer.Deserialize<AutoencoderConfig>(linear)!.CodeActivation);
        Assert.Equal(CodeActivation.Tanh, JsonSerializer.Deserialize<AutoencoderConfig>(tanh)!.CodeActivation);
    }

    [Fact]
    public void ModelFile_LinearCode_LoadsAndScoresTheSame()
    {
        var path = Path.Combine(_folder, "linear.vaecf");
        using var network = new AutoencoderNetwork(Dae(CodeActivation.Linear), seed: 4);
        ModelFile.Save(path, network, ["a", "b", "c", "d", "e", "f"], new ModelSummary(1, 1, 0.5, 0, 4, DateTimeOffset.UnixEpoch));
        var loaded = ModelFile.Load(path);
        using var reloaded = loaded.Network;
        Assert.Equal(CodeActivation.Linear, reloaded.Config.CodeActivation);
        using var scope = torch.NewDisposeScope();
        var batch = SparseBatch.Create(Clicks, [0, 1, 2], dropoutRate: 0, seed: 1, epoch: 0);
        Assert.Equal(network.Forward(batch, null).Output.data<float>().ToArray(), reloaded.Forward(batch, null).Output.data<float>().ToArray());
    }
}
