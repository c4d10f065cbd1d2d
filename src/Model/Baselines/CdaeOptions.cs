namespace VaeCfCluster.Model.Baselines;

/// <summary>
/// Settings of <see cref="CdaeScorer"/>, the collaborative denoising autoencoder (Wu, DuBois, Zheng and Ester,
/// WSDM 2016) as Liang et al. (WWW 2018, Section 4.4) train it: 200 hidden units, tanh at the bottleneck and the
/// output, a weighted square loss, Adam on batches of 500 users, and weight decay tuned in {0.01, 0.1, …, 100}.
/// </summary>
public sealed record CdaeOptions
{
    /// <summary>
    /// Bottleneck width. Default 200 (Liang et al.). Too small: the code cannot separate tastes and the model
    /// falls back to popular items. Too large: more parameters to overfit, slower epochs.
    /// </summary>
    public int Hidden { get; init; } = 200;

    /// <summary>
    /// Weight c₁ of the squared error on clicked entries (zeros weigh 1), the full-matrix counterpart of the
    /// original paper's negative sampling. Not stated by Liang et al.; default 10, as for WMF. Too small: the
    /// zeros dominate and every output is pushed to 0. Too large: the zeros stop acting as negatives and the model
    /// rates everything high.
    /// </summary>
    public double PositiveWeight { get; init; } = 10;

    /// <summary>
    /// Weight decay λ: the loss adds <c>λ(‖W₁‖²_F + ‖W₂‖²_F)</c> plus λ‖v_u‖² for every user in the batch
    /// (averaged like the data term). Liang et al. select it in {0.01, 0.1, …, 100}; default 0.01, the lower end.
    /// Crucial because the user embeddings make the parameter count grow with the number of users. Too small:
    /// the embeddings memorise training users and validation NDCG falls after a few epochs. Too large: every
    /// weight shrinks towards zero and the output tends to a popularity profile (the output bias).
    /// </summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>
    /// Probability of dropping each input click during training (survivors are scaled by 1/(1 − p)). Default 0.5
    /// (Liang et al.'s input dropout). Too small: the model learns the identity on the clicks it sees. Too large:
    /// too little signal per user to reconstruct from.
    /// </summary>
    public double InputDropout { get; init; } = 0.5;

    /// <summary>Adam step size. Default 1e-3. Too small: slow training. Too large: unstable, noisy rankings.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Users per gradient step. Default 500 (Liang et al.).</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>
    /// Passes over the training users. Default 50. Too few: underfit. Too many: overfitting through the user
    /// embeddings (the caller should watch validation NDCG@100 and pick the epoch count).
    /// </summary>
    public int Epochs { get; init; } = 50;

    /// <summary>Seed of the initial weights, the user order of every epoch and the dropout masks.</summary>
    public ulong Seed { get; init; } = 98765;
}
