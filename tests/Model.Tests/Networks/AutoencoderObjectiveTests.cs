using TorchSharp;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;

namespace VaeCfCluster.Model.Tests.Networks;

public sealed class AutoencoderObjectiveTests
{
    // Two users over three items: user 0 clicked item 1, user 1 clicked items 0 and 2.
    private static readonly ClickMatrix Clicks = ClickMatrix.FromPairs(2, 3, [0, 1, 1], [1, 0, 2]);
    private static readonly float[] Output = [0f, (float)Math.Log(2), 0f, 1f, -1f, 0.5f];

    private static double Evaluate(Likelihood likelihood, double c1 = 10, double c0 = 1)
    {
        var config = new AutoencoderConfig { ItemCount = 3, Likelihood = likelihood, GaussianClickConfidence = c1, GaussianUnclickedConfidence = c0 };
        var batch = SparseBatch.Create(Clicks, [0, 1], 0, 0, 0);
        using var output = torch.tensor(Output, [2, 3]);
        using var value = AutoencoderObjective.NegativeLogLikelihoodSum(output, batch, config);
        return value.item<float>();
    }

    [Fact]
    public void Multinomial_TwoUsers_EqualsMinusSumOfLogSoftmaxAtClicks()
    {
        // User 0: logits [0, ln2, 0] → softmax of item 1 = 2/4 → −log = ln 2.
        // User 1: logits [1, −1, 0.5]: Z = e + e^−1 + e^0.5; −(log(e/Z) + log(e^0.5/Z)) = 2 ln Z − 1.5.
        double z = Math.E + Math.Exp(-1) + Math.Exp(0.5);
        double expected = Math.Log(2) + 2 * Math.Log(z) - 1.5;
        Assert.Equal(expected, Evaluate(Likelihood.Multinomial), 5);
    }

    [Fact]
    public void Gaussian_TwoUsers_EqualsConfidenceWeightedSquaredError()
    {
        // Σ c/2 (x − f)²: clicks weigh c1 = 10, the rest c0 = 1.
        double user0 = 0.5 * (0 - 0) * (0 - 0) + 5 * Math.Pow(1 - Math.Log(2), 2) + 0.5 * 0;
        double user1 = 5 * Math.Pow(1 - 1, 2) + 0.5 * Math.Pow(0 - -1, 2) + 5 * Math.Pow(1 - 0.5, 2);
        Assert.Equal(user0 + user1, Evaluate(Likelihood.Gaussian), 5);
    }

    [Fact]
    public void Logistic_TwoUsers_EqualsBinaryCrossEntropy()
    {
        static double Sigmoid(double f) => 1 / (1 + Math.Exp(-f));
        double[] x = [0, 1, 0, 1, 0, 1];
        double expected = 0;
        for (int i = 0; i < 6; i++)
        {
            double p = Sigmoid(Output[i]);
            expected -= x[i] * Math.Log(p) + (1 - x[i]) * Math.Log(1 - p);
        }
        Assert.Equal(expected, Evaluate(Likelihood.Logistic), 5);
    }

    [Fact]
    public void KlDivergence_KnownGaussians_MatchesClosedForm()
    {
        // KL(N(1, 1) ‖ N(0, 1)) = 0.5; KL(N(0, 2) ‖ N(0, 1)) = 0.5 (2 − ln 2 − 1).
        using var mean = torch.tensor(new float[] { 1f, 0f }, [1, 2]);
        using var logVariance = torch.tensor(new float[] { 0f, (float)Math.Log(2) }, [1, 2]);
        using var kl = AutoencoderObjective.KlDivergenceSum(mean, logVariance);
        Assert.Equal(0.5 + 0.5 * (1 - Math.Log(2)), kl.item<float>(), 5);
    }

    [Fact]
    public void MultinomialWithGradient_RandomOutput_EqualsAutogradOfTheLoss()
    {
        var clicks = ClickMatrix.FromPairs(3, 5, [0, 0, 1, 2, 2, 2], [1, 4, 0, 0, 2, 3]);
        var batch = SparseBatch.Create(clicks, [0, 1, 2], 0, 0, 0);
        var config = new AutoencoderConfig { ItemCount = 5 };
        using var generator = new torch.Generator(3);
        using var output = torch.randn([3, 5], generator: generator).requires_grad_(true);
        using var loss = AutoencoderObjective.NegativeLogLikelihoodSum(output, batch, config);
        using var scaled = loss.DividedBy(7);
        scaled.backward();
        var (nll, gradient) = AutoencoderObjective.MultinomialWithGradient(output, batch, 7);
        Assert.Equal(loss.item<float>(), nll.item<float>(), 5);
        var expected = output.grad!.data<float>().ToArray();
        var actual = gradient.data<float>().ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 6);
    }
}
